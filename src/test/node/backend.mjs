// A backend behind the WAR's gateway, in another language: verifies every forwarded request with the
// Standard Webhooks library (an independent implementation of the format) and prints one JSON line per request.
// Usage: node backend.mjs <whsec_ secret> [port]; prints "PORT <n>" when listening.
import http from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const webhook = new Webhook(process.argv[2]);
const attempts = new Map();

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks).toString('utf8');
  let verified = false;
  try {
    webhook.verify(body, req.headers);
    verified = true;
  } catch (e) {
    // verify() checks the signature, then parses the payload as JSON: for XML callbacks that last step throws a
    // SyntaxError after the signature was found good. Only a WebhookVerificationError means a bad signature.
    verified = !(e instanceof WebhookVerificationError);
  }
  const id = req.headers['webhook-id'];
  const attempt = (attempts.get(id) || 0) + 1;
  attempts.set(id, attempt);
  console.log(JSON.stringify({
    id, verified, attempt, body,
    contentType: req.headers['content-type'] ?? null,
    receiveId: req.headers['x-wecom-receive-id'] ?? null,
    agentId: req.headers['x-wecom-agent-id'] ?? null,
  }));
  const match = body.match(/<Content><!\[CDATA\[(.*?)\]\]><\/Content>/);
  const content = match ? match[1] : '';
  if (!verified) {
    res.writeHead(401);
    res.end('bad signature');
  } else if (content === 'fail-once' && attempt === 1) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('SECRET-BACKEND-ERROR at db.query (stack trace)');
  } else if (content === 'slow') {
    setTimeout(() => { res.writeHead(200); res.end('<xml><Content>late</Content></xml>'); }, 3000);
  } else if (content === 'hang') {
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.write('<xml>'); // and never more
  } else if (content === 'huge') {
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.end('<xml><Content>' + 'x'.repeat(1024 * 1024) + '</Content></xml>');
  } else if (content === 'empty') {
    res.writeHead(200);
    res.end();
  } else if (content === 'success') {
    res.writeHead(200);
    res.end('success');
  } else {
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.end(`<xml><Content><![CDATA[node got: ${content}]]></Content></xml>`);
  }
});
server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => console.log('PORT ' + server.address().port));
