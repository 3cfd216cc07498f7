/**
 * Test tripwire: no test in this folder may send a packet to anything but loopback, even if the code
 * under test regresses. Every client socket Node creates (diagnostics channel `net.client.socket`,
 * published before the socket connects) is watched: a connect to a non-loopback IP literal, or a DNS
 * answer that is not loopback, destroys the socket before it connects and is recorded in
 * `blockedTargets`, which tests assert stays empty.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import net from 'node:net';

export const blockedTargets: string[] = [];

function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === '::1' || /^127\./.test(bare) || /^::ffff:127\./.test(bare);
}

function watch(message: unknown): void {
  const socket = (message as { socket: net.Socket }).socket;
  socket.on('lookup', (error: Error | null, address: string) => {
    if (!error && typeof address === 'string' && !isLoopback(address)) {
      blockedTargets.push(address);
      socket.destroy();
    }
  });
  const connect = socket.connect;
  socket.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const host = typeof first === 'object' && first !== null ? (first as { host?: string }).host : undefined;
    if (typeof host === 'string' && net.isIP(host.replace(/^\[|\]$/g, '')) !== 0 && !isLoopback(host)) {
      blockedTargets.push(host);
      process.nextTick(() => socket.destroy());
      return socket;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof socket.connect;
}

diagnosticsChannel.subscribe('net.client.socket', watch);
