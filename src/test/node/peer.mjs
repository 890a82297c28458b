// The official Node library @wecom/crypto plays WeCom against a running deployment of the demo servlet:
// the URL check with random echostrs, then text messages whose encrypted echo replies it verifies and decrypts.
// Usage: node peer.mjs <baseUrl> <token> <encodingAesKey> <corpId> <messages> [<urlCheckCorpId>]
// (a provider's data URL: messages for an authorizing corp's id, the URL check for the provider's own corp id)
import { getSignature, encrypt, decrypt } from '@wecom/crypto';
import { randomBytes, randomInt } from 'node:crypto';

const [baseUrl, token, key, corpId, countArg, urlCheckArg] = process.argv.slice(2);
const urlCheckCorpId = urlCheckArg ?? corpId;
const count = Number(countArg || 100);
const pieces = ['a', 'Z', '0', ' ', '<', '>', '&', '"', "'", ']]>', '你', '好', '企业微信', '😀', '🚀', '+', '/', '='];
let passed = 0;
let failed = 0;

function fail(what) {
  failed++;
  console.error('FAIL: ' + what);
}

function randomText(maxPieces) {
  let out = '';
  const n = 1 + randomInt(maxPieces);
  for (let i = 0; i < n; i++) out += pieces[randomInt(pieces.length)];
  return out;
}

const cdata = (text) => '<![CDATA[' + text.replaceAll(']]>', ']]]]><![CDATA[>') + ']]>';

function field(xml, name) {
  const m = new RegExp('<' + name + '>(?:<!\\[CDATA\\[(.*?)\\]\\]>|([^<]*))</' + name + '>', 's').exec(xml);
  if (!m) throw new Error('no <' + name + '> in ' + xml);
  return m[1] !== undefined ? m[1] : m[2];
}

function contentOf(xml) {
  const m = /<Content>(.*)<\/Content>/s.exec(xml);
  if (!m) throw new Error('no <Content> in ' + xml);
  return [...m[1].matchAll(/<!\[CDATA\[(.*?)\]\]>/gs)].map((x) => x[1]).join('');
}

const nonce = () => String(1000000000 + randomInt(1000000000));
const now = () => String(Math.floor(Date.now() / 1000));

for (let i = 0; i < 20; i++) {
  const plaintext = String(randomInt(1, 2 ** 47)) + String(randomInt(1, 2 ** 47));
  const echostr = encrypt(key, plaintext, urlCheckCorpId, randomBytes(16));
  const ts = now(), n = nonce();
  const url = `${baseUrl}?msg_signature=${getSignature(token, ts, n, echostr)}&timestamp=${ts}&nonce=${n}&echostr=${encodeURIComponent(echostr)}`;
  const res = await fetch(url, { redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status === 200 && body.equals(Buffer.from(plaintext))) passed++;
  else fail(`URL check: status ${res.status}, body [${body.toString()}] instead of [${plaintext}]`);
}

for (let i = 0; i < count; i++) {
  const text = randomText(i % 10 === 0 ? 2000 : 40);
  const message = `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata('user' + i)}</FromUserName>`
    + `<CreateTime>${now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${cdata(text)}</Content>`
    + `<MsgId>${1000000 + i}</MsgId><AgentID>1000002</AgentID></xml>`;
  const enc = encrypt(key, message, corpId);
  const ts = now(), n = nonce();
  const envelope = `<xml><ToUserName>${cdata(corpId)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt><AgentID>${cdata('1000002')}</AgentID></xml>`;
  try {
    const res = await fetch(`${baseUrl}?msg_signature=${getSignature(token, ts, n, enc)}&timestamp=${ts}&nonce=${n}`,
      { method: 'POST', body: envelope, headers: { 'Content-Type': 'text/xml' }, redirect: 'manual' });
    const reply = await res.text();
    if (res.status !== 200) { fail(`POST ${i}: status ${res.status} [${reply}]`); continue; }
    const e = field(reply, 'Encrypt');
    const signature = getSignature(token, field(reply, 'TimeStamp'), field(reply, 'Nonce'), e);
    if (signature !== field(reply, 'MsgSignature')) { fail(`POST ${i}: reply signature mismatch`); continue; }
    const seconds = Number(field(reply, 'TimeStamp'));
    if (Math.abs(seconds - Date.now() / 1000) > 60) { fail(`POST ${i}: TimeStamp ${seconds} is not now in seconds`); continue; }
    const { message: replyXml, id } = decrypt(key, e);
    if (id !== corpId) { fail(`POST ${i}: reply receive id [${id}]`); continue; }
    if (contentOf(replyXml) !== 'echo: ' + text) { fail(`POST ${i}: echo [${contentOf(replyXml)}] for [${text}]`); continue; }
    passed++;
  } catch (err) {
    fail(`POST ${i}: ${err}`);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
