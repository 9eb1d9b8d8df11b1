// A local webhook for alert tests: keeps every alert Roster posts to it.
import { createServer, type Server } from 'node:http';

export interface AlertReceiver {
  url: string;
  alerts: { kind: string; severity: string; text: string; summary: string }[];
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const alerts: AlertReceiver['alerts'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      alerts.push(JSON.parse(body) as AlertReceiver['alerts'][number]);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    alerts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
