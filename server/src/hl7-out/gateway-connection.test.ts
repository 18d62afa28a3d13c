import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { frameMllp } from '../hl7/mllp-framer';
import { GatewayConnection } from './gateway-connection';

const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A gateway that hands each frame it gets to `answer`, which writes whatever it likes back. */
async function gateway(answer: (socket: net.Socket, text: string) => void): Promise<number> {
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end = buffer.indexOf('\x1c\r');
      while (end !== -1) {
        answer(socket, buffer.slice(buffer.indexOf('\x0b') + 1, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\x1c\r');
      }
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const ack = (code: string, controlId: string, text = ''): Buffer =>
  frameMllp(`MSH|^~\\&|GW||CHAIRSIDE||20261207104300+0000||ACK^R40^ACK|A1|P|2.6\rMSA|${code}|${controlId}${text ? `|${text}` : ''}\r`);
const message = (controlId: string): string => `MSH|^~\\&|CHAIRSIDE||||20261207104205+0000||ORU^R40^ORU_R40|${controlId}|P|2.6\r`;

describe('GatewayConnection', () => {
  it('takes the ACK whose MSA-2 names the message, skipping a late one for another, and reads AE with its text', async () => {
    const port = await gateway((socket, text) => {
      const controlId = text.split('|')[9] ?? '';
      // A stale ACK first (an earlier message's), split across writes, then the real one.
      const stale = ack('AA', 'OLD1');
      socket.write(stale.subarray(0, 5));
      socket.write(Buffer.concat([stale.subarray(5), controlId === 'C2' ? ack('AE', controlId, 'unknown bed') : ack('AA', controlId)]));
    });
    const connection = await GatewayConnection.open('127.0.0.1', port, 1000);
    await expect(connection.exchange(message('C1'), 'C1', 1000)).resolves.toEqual({ code: 'AA', text: '' });
    await expect(connection.exchange(message('C2'), 'C2', 1000)).resolves.toEqual({ code: 'AE', text: 'unknown bed' });
    connection.destroy();
  });

  it('gives up after the timeout and closes the connection; a refused connection says so', async () => {
    const port = await gateway(() => undefined);
    const connection = await GatewayConnection.open('127.0.0.1', port, 1000);
    await expect(connection.exchange(message('C1'), 'C1', 100)).rejects.toThrow('no ACK within 100 ms');
    expect(connection.open).toBe(false);
    const closed = await gateway(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    await expect(GatewayConnection.open('127.0.0.1', closed, 1000)).rejects.toThrow(/connection refused \(ECONNREFUSED\)/);
  });

  it('a gateway that hangs up while a message waits fails the message', async () => {
    const port = await gateway((socket) => socket.destroy());
    const connection = await GatewayConnection.open('127.0.0.1', port, 1000);
    await expect(connection.exchange(message('C1'), 'C1', 5000)).rejects.toThrow(/closed the connection|reset/);
  });
});
