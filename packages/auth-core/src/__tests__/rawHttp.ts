import { connect } from 'node:net';

/** Sends raw bytes to 127.0.0.1:port and resolves the status line's code and the raw response text. */
export function rawHttp(port: number, request: Buffer | string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      socket.destroy();
      resolve({ status, text });
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // One response is enough: stop when the body announced by Content-Length has arrived.
      const text = Buffer.concat(chunks).toString('latin1');
      const headerEnd = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text)?.[1];
      if (headerEnd !== -1 && length !== undefined && Buffer.concat(chunks).length >= headerEnd + 4 + Number(length)) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error) => (chunks.length ? finish() : reject(error)));
    socket.write(request);
  });
}
