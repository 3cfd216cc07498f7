/**
 * Keep-alive connections during a graceful stop (`app.close()`). Node's server.close() stops
 * accepting, closes the connections idle at that moment and waits for every other one to end. A
 * connection whose answer was still under way (a try-on call, a file still streaming) went back to
 * keep-alive once its answer was written, and a client that keeps idle connections (fetch, an
 * http.Agent with keepAlive, a proxy's upstream pool) held the process open for up to the
 * server's keep-alive timeout (72 s), long after SIGTERM: a container is SIGKILLed before that.
 *
 * From the start of the stop, every answer not yet begun says `Connection: close` (Node ends its
 * connection once it is written), and every answer that finishes closes the connections then idle,
 * as server.close() did for those idle when it began. Answers under way still complete.
 *
 * The stop starts at `app.close()` (Fastify's preClose), or earlier when the caller calls the
 * function returned: a `ROLE=worker` process (src/cluster/worker-node.ts) first finishes the engine
 * jobs in hand, which can take a while, and keeps answering health checks and scrapes meanwhile;
 * from its SIGTERM on those answers end their connections too, so none is left kept alive, or
 * still being answered, when its HTTP server closes.
 */
import type { FastifyInstance } from 'fastify';

/** Installs the hooks on `app`; returns the function that starts the stop before `app.close()`. */
export function closeConnectionsOnStop(app: FastifyInstance): () => void {
  let stopping = false;
  const beginStop = () => {
    stopping = true;
  };
  // preClose runs before Fastify calls server.close().
  app.addHook('preClose', async () => {
    beginStop();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (stopping) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async () => {
    // Node has detached the finished answer from its socket by now, so that connection is idle.
    if (stopping) app.server.closeIdleConnections();
  });
  return beginStop;
}
