import { Socket } from 'node:net';

/** true when something accepts a TCP connection at host:port within timeoutMs. */
export function tcpAnswers(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/** `host:port` → {host, port}. */
export function parseHostPort(address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':');
  if (index < 0) return { host: address, port: 9092 };
  return { host: address.slice(0, index), port: Number(address.slice(index + 1)) };
}
