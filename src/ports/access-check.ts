/** One line of `roster doctor`: a connection or permission Roster needs, and whether it works. */
export interface AccessCheck {
  name: string;
  ok: boolean;
  detail: string;
}
