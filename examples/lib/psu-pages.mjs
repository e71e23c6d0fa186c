// A sandbox PSU on the bank's pages, driven as a browser without JavaScript does: their authenticator
// app (RFC 6238: SHA-1, 6 digits, 30 s), and the pages' forms read, filled by their labels and
// submitted, following redirects, until the bank sends the PSU back to the TPP. Shared by the
// examples; plain Node, no dependencies.
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL, URLSearchParams } from 'node:url';
import { CookieJar } from './sandbox-https.mjs';

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret, timeStep) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(timeStep));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Each code is accepted once (RFC 6238 §5.2): after using one, wait for the app's next code. */
export function authenticatorApp(secret) {
  let lastStep = -1;
  return async () => {
    let now = Math.floor(Date.now() / 30_000);
    if (now <= lastStep) {
      const waitMs = (lastStep + 1) * 30_000 - Date.now() + 250;
      console.log(`   (each one-time code works once: waiting ${Math.ceil(waitMs / 1000)} s for the next one)`);
      await sleep(waitMs);
      now = Math.floor(Date.now() / 30_000);
    }
    lastStep = now;
    return totp(secret, now);
  };
}

const decode = (text) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
function attributesOf(tag) {
  const attributes = {};
  for (const [, name, , quoted, bare] of tag.matchAll(/([a-zA-Z_:][-\w:.]*)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    attributes[name.toLowerCase()] = quoted !== undefined ? decode(quoted) : bare !== undefined ? decode(bare) : '';
  }
  return attributes;
}
const textOf = (fragment) => decode(fragment.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();

/** The page's forms: action, method, inputs (with their label text) and submit buttons. */
function formsOf(page) {
  const labels = new Map([...page.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/gi)].map((m) => [attributesOf(m[1]).for, textOf(m[2])]));
  return [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, formTag, inner]) => {
    const form = attributesOf(formTag);
    const inputs = [...inner.matchAll(/<label\b[^>]*>\s*(<input\b[^>]*>)([\s\S]*?)<\/label>|(<input\b[^>]*>)/gi)].map((m) => {
      const input = attributesOf((m[1] ?? m[3]).slice(6, -1));
      return { ...input, type: (input.type ?? 'text').toLowerCase(), label: m[1] ? textOf(m[2]) : (labels.get(input.id) ?? '') };
    });
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((m) => ({ ...attributesOf(m[1]), text: textOf(m[2]) }));
    return { action: form.action ?? '', method: (form.method ?? 'get').toLowerCase(), inputs, buttons };
  });
}

/** Fills a form as the PSU would: their username, password and a one-time code; every account offered to share, or the first one offered to pay from. */
async function fillForm(form, psu, nextCode) {
  const fields = new URLSearchParams();
  const radiosDone = new Set();
  for (const input of form.inputs) {
    if (!input.name) continue;
    const what = `${input.label} ${input.name}`.toLowerCase();
    if (input.type === 'hidden') fields.append(input.name, input.value ?? '');
    else if (input.type === 'checkbox') fields.append(input.name, input.value ?? 'on');
    else if (input.type === 'radio') {
      const group = form.inputs.filter((i) => i.type === 'radio' && i.name === input.name);
      if (!radiosDone.has(input.name)) fields.append(input.name, (group.find((i) => 'checked' in i) ?? group[0]).value ?? 'on');
      radiosDone.add(input.name);
    } else if (what.includes('username')) fields.append(input.name, psu.username);
    else if (what.includes('password')) fields.append(input.name, psu.password);
    else if (what.includes('one-time code') || input.autocomplete === 'one-time-code') fields.append(input.name, await nextCode());
    else if (input.value !== undefined) fields.append(input.name, input.value);
  }
  const submit = form.buttons.find((b) => /approve|continue|confirm|log in|sign in/i.test(b.text) && (b.type ?? 'submit') === 'submit');
  if (!submit) throw new Error(`no button to go on with among: ${form.buttons.map((b) => b.text).join(', ')}`);
  if (submit.name) fields.append(submit.name, submit.value ?? '');
  return { fields, button: submit.text };
}

/**
 * From the bank's first page (an authorisation URL, or a Berlin Group `scaRedirect`) to the first
 * redirect whose URL starts with one of `backTo` (the TPP's redirect URIs, which never need to
 * resolve): returns that URL.
 */
export async function psuApproves(request, startUrl, backTo, psu, nextCode) {
  const cookies = new CookieJar();
  let response = await request(startUrl, { cookies });
  let url = new URL(startUrl);
  for (let hops = 0; hops < 30; hops++) {
    if ([302, 303, 307].includes(response.status)) {
      url = new URL(response.headers.location, url);
      if (backTo.some((prefix) => url.href.startsWith(prefix))) return url;
      response = await request(url, { cookies });
      continue;
    }
    if (response.status !== 200) throw new Error(`PSU page ${url.pathname}: ${response.status}\n${response.text}`);
    const title = textOf(/<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(response.text)?.[1] ?? '');
    const alert = /role="alert"[^>]*>([\s\S]*?)</i.exec(response.text)?.[1];
    if (alert) console.log(`   the page says: ${textOf(alert)}`);
    const form = formsOf(response.text).find((f) => f.method === 'post');
    if (!form) throw new Error(`PSU page "${title}" has no form to submit`);
    const { fields, button } = await fillForm(form, psu, nextCode);
    console.log(`   page "${title}": ${[...new Set(fields.keys())].join(', ')} → ${button}`);
    url = new URL(form.action || url.href, url);
    response = await request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString(), cookies });
  }
  throw new Error('too many pages without reaching the redirect URI');
}
