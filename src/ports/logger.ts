// The one logging shape the core and the shells use, so none of them depends on pino. Fields are
// structured (ids, counts, codes); never pass a URL, a config object or a secret.
export interface Logger {
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
