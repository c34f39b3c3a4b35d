// print.test.mjs: prfaqd's printable HTML page in a real browser.
//
// Run by tests/browser/run, which installs everything, starts PostgreSQL and
// prfaqd, and passes:
//   PRFAQ_BROWSER_BASE       http://127.0.0.1:PORT of a running prfaqd
//   PRFAQ_BROWSER_TOKEN      a bearer token with the author role
//   PRFAQ_BROWSER_FIXTURE    tests/fixtures/strong.json (a PR/FAQ's content)
//   PRFAQ_BROWSER_ARTIFACTS  where screenshots and PDFs go
//   PRFAQ_CHROMIUM           Debian's /usr/bin/chromium
//
// The checks know the page's structure only through the classes that
// render.c promises (section.press-release, .new-page) and otherwise look at
// every element and every text node, so whatever the page grows (a metrics
// table, an evidence appendix) is covered without changing this file:
//   - the server's CSP header is on the response, and is enforced (a canary
//     at the end breaks it on purpose and must be reported);
//   - no console message of level error or warning, no uncaught exception,
//     no CSP violation (securitypolicyviolation events, the console, and
//     DevTools' issues), no DevTools issue of any kind, no request to any
//     other origin than prfaqd's;
//   - no element box and no line of text outside the page, at 320, 375, 768
//     and 1280 px wide on screen, and at the content width of A4 and Letter
//     in print;
//   - the sample links customer evidence (long text, a long URL, markup to
//     escape), and the page ends with its appendix, escaped;
//   - print-to-PDF on A4 and on US Letter succeeds, and the whole press
//     release is on page 1: measured in print layout against the page's
//     content height (the @page margins are read from the page's own
//     stylesheet), then confirmed in the PDF, where pdftotext must find every
//     block of the press release on page 1 and every section that starts a
//     new page (the FAQ, the appendix) at the top of a later page.
// It prints "ok"/"FAIL" per check and ends with "browser: N passed, N
// failed"; the exit status is 1 when anything failed.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const env = (name) => {
	const v = process.env[name];
	if (!v) {
		console.error(`print.test.mjs: ${name} is not set (run tests/browser/run)`);
		process.exit(2);
	}
	return v;
};
const BASE = env('PRFAQ_BROWSER_BASE');
const TOKEN = env('PRFAQ_BROWSER_TOKEN');
const FIXTURE = env('PRFAQ_BROWSER_FIXTURE');
const ART = env('PRFAQ_BROWSER_ARTIFACTS');
const CHROMIUM = env('PRFAQ_CHROMIUM');

const SCREEN_WIDTHS = [320, 375, 768, 1280];
// Paper sizes in CSS px (96 per inch).  A4 is the size outside North
// America, Letter the size inside it; Letter is the shorter page, A4 the
// narrower one, so the press release must fit on both.
const MM = 96 / 25.4;
const PAPERS = [
	{ name: 'A4', format: 'A4', width: 210 * MM, height: 297 * MM },
	{ name: 'Letter', format: 'Letter', width: 8.5 * 96, height: 11 * 96 },
];
const TOLERANCE = 0.5;	// px: sub-pixel rounding of boxes

let passed = 0;
let failed = 0;

/* Run one named check: fn throws (or rejects) to fail it. */
async function check(name, fn) {
	try {
		const note = await fn();
		passed++;
		console.log(`ok   ${name}${note ? ` (${note})` : ''}`);
	} catch (e) {
		failed++;
		console.log(`FAIL ${name}: ${e && e.message ? e.message : e}`);
	}
}

function assert(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

/* Text as pdftotext and the DOM both give it: NFKC (ligatures), one space. */
const norm = (s) => s.normalize('NFKC').replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();

/*
 * Everything the browser reports while the page is open, from every channel
 * that can carry an error: the console API, the browser's own log (where
 * Chromium puts "Refused to ..." CSP reports), uncaught exceptions, DevTools
 * issues, the page's securitypolicyviolation events, and requests.
 */
class Observer {
	constructor() {
		this.console = [];	// {level, text}: errors and warnings only
		this.all = [];		// every console and log entry, for the canary
		this.issues = [];	// DevTools Audits issues
		this.requests = [];	// URLs the page asked for
	}

	async attach(page) {
		page.on('console', (m) => {
			const entry = { level: m.type(), text: m.text() };
			this.all.push(entry);
			if (['error', 'warn', 'warning', 'assert'].includes(entry.level))
				this.console.push(entry);
		});
		page.on('pageerror', (e) => {
			const entry = { level: 'exception', text: String(e && e.message ? e.message : e) };
			this.all.push(entry);
			this.console.push(entry);
		});
		page.on('request', (r) => this.requests.push(r.url()));
		const cdp = await page.createCDPSession();
		cdp.on('Log.entryAdded', ({ entry }) => {
			const e = { level: entry.level, text: `[${entry.source}] ${entry.text}` };
			this.all.push(e);
			if (entry.level === 'error' || entry.level === 'warning')
				this.console.push(e);
		});
		cdp.on('Audits.issueAdded', ({ issue }) => this.issues.push(issue));
		await cdp.send('Log.enable');
		await cdp.send('Audits.enable');
		// Registered before any of the page's own code could run; CDP's
		// injected scripts are not subject to the page's CSP.
		await page.evaluateOnNewDocument(() => {
			window.__cspViolations = [];
			document.addEventListener('securitypolicyviolation', (e) => {
				window.__cspViolations.push({
					directive: e.effectiveDirective,
					blocked: e.blockedURI,
					policy: e.originalPolicy,
					disposition: e.disposition,
				});
			});
		});
		this.cdp = cdp;
	}
}

/*
 * In the page: every element box and every line box of text that lies
 * outside [0, width] horizontally, and the document's scroll width.
 */
function findOverflow(width, tolerance) {
	const out = [];
	const name = (el) => {
		let s = el.tagName.toLowerCase();
		if (el.classList && el.classList.length)
			s += '.' + [...el.classList].join('.');
		return s;
	};
	let boxes = 0, lines = 0;
	const test = (what, r) => {
		if (r.width === 0 && r.height === 0)
			return;
		if (r.left < -tolerance || r.right > width + tolerance)
			out.push(`${what} spans x=${r.left.toFixed(1)}..${r.right.toFixed(1)}`);
	};
	for (const el of document.querySelectorAll('body, body *')) {
		for (const r of el.getClientRects()) {
			boxes++;
			test(name(el), r);
		}
	}
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	const range = document.createRange();
	while (walker.nextNode()) {
		const node = walker.currentNode;
		if (!node.data.trim())
			continue;
		range.selectNodeContents(node);
		for (const r of range.getClientRects()) {
			lines++;
			test(`text "${node.data.trim().slice(0, 40)}" in ${name(node.parentElement)}`, r);
		}
	}
	const sw = document.documentElement.scrollWidth;
	if (sw > Math.ceil(width) + tolerance)
		out.push(`document scrolls sideways: scrollWidth ${sw} > ${width}`);
	return { boxes, lines, problems: out };
}

/* In the page: the @page margins of its own stylesheet, in CSS px. */
function pageMargins() {
	const px = (v) => {
		const m = /^(-?[\d.]+)(px|cm|mm|in|pt|pc|q)?$/i.exec(v.trim());
		if (!m)
			throw new Error(`@page margin "${v}" is not an absolute length`);
		const unit = { px: 1, cm: 96 / 2.54, mm: 96 / 25.4, in: 96, pt: 96 / 72,
			pc: 16, q: 96 / 101.6 }[(m[2] || 'px').toLowerCase()];
		return parseFloat(m[1]) * unit;
	};
	for (const sheet of document.styleSheets) {
		for (const rule of sheet.cssRules) {
			if (rule.constructor.name !== 'CSSPageRule' || rule.selectorText !== '')
				continue;
			const s = rule.style;
			if (!s.marginTop)
				continue;
			return { top: px(s.marginTop), right: px(s.marginRight),
				 bottom: px(s.marginBottom), left: px(s.marginLeft) };
		}
	}
	return null;
}

/*
 * In the page: where the press release ends, measured from the top of the
 * document, and its blocks' text; the headings that open each section that
 * starts a new page.
 */
function printLayout() {
	const top = document.documentElement.getBoundingClientRect().top;
	const pr = document.querySelector('section.press-release');
	const heading = (el) => el.querySelector('h1, h2, h3, h4, h5, h6');
	return {
		prBottom: pr ? pr.getBoundingClientRect().bottom - top : null,
		prBlocks: pr ? [...pr.querySelectorAll('h1, h2, h3, p, li, blockquote')]
			.filter((el) => !el.querySelector('p, li'))
			.map((el) => el.textContent) : [],
		headline: (document.querySelector('header h1') || {}).textContent || null,
		newPages: [...document.querySelectorAll('.new-page')]
			.map((el) => ({ cls: el.className, heading: heading(el) ? heading(el).textContent : null })),
	};
}

function pdfPages(file) {
	const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
	const pages = Number(/^Pages:\s+(\d+)/m.exec(info)[1]);
	const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info);
	const text = [];
	for (let i = 1; i <= pages; i++)
		text.push(execFileSync('pdftotext', ['-f', String(i), '-l', String(i), '-enc', 'UTF-8', file, '-'],
					{ encoding: 'utf8' }));
	return { pages, width: Number(size[1]), height: Number(size[2]), text };
}

async function createDocument() {
	const content = JSON.parse(readFileSync(FIXTURE, 'utf8'));
	const res = await fetch(`${BASE}/v1/prfaqs`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ title: 'Example Shop Instant Refunds', team: 'returns',
				       tags: ['refunds'], content }),
	});
	const body = await res.json();
	if (res.status !== 201)
		throw new Error(`POST /v1/prfaqs: HTTP ${res.status}: ${JSON.stringify(body)}`);
	return body.id;
}

/*
 * The customer evidence the page ends with (issue 16): an anecdote of the
 * longest text with a long unbroken word and a long URL (overflow), one
 * with markup to escape, a request and a data point, each linked to the
 * document.
 */
const EVIDENCE = [
	{ kind: 'anecdote', sentiment: 'negative', source: 'zendesk',
	  url: `https://support.example.com/tickets/48213?${'utm_source=x&'.repeat(12)}end`,
	  customer: { name: 'Dana Whitfield', segment: 'Prime, grocery' }, observed_on: '2026-10-02',
	  text: `I waited nine days for a refund on a ${'super'.repeat(14)}expensive blender. `
		+ 'The box was back in your warehouse on day two. '.repeat(60).trim() },
	{ kind: 'anecdote', source: 'interview', customer: { segment: 'Small sellers' },
	  text: 'Refund <b>first</b>, check later & tell me it happened.\nThat is all I ask.' },
	{ kind: 'request', source: 'survey', text: 'Show the refund the moment the carrier scans the parcel.' },
	{ kind: 'data', source: 'analytics', value: 38.2, unit: '%', observed_on: '2026-11-30',
	  text: 'Returners who contact support before the refund arrives' },
];

async function api(method, path, body) {
	const res = await fetch(`${BASE}${path}`, {
		method,
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	const out = await res.json();
	if (res.status !== 201)
		throw new Error(`${method} ${path}: HTTP ${res.status}: ${JSON.stringify(out)}`);
	return out;
}

async function linkEvidence(id) {
	for (const e of EVIDENCE) {
		const item = await api('POST', '/v1/evidence', e);
		await api('POST', `/v1/prfaqs/${id}/evidence`, { evidence_id: item.id });
	}
	return `${EVIDENCE.length} items linked`;
}

/* In the page: the article's last section, and what it holds. */
function evidenceAppendix() {
	const sections = [...document.querySelectorAll('article > section')];
	const last = sections[sections.length - 1];
	return {
		last: last ? last.className : null,
		quotes: last ? last.querySelectorAll('blockquote').length : 0,
		items: last ? last.querySelectorAll('li').length : 0,
		bold: last ? last.querySelectorAll('blockquote b').length : 0,
	};
}

async function main() {
	mkdirSync(ART, { recursive: true });
	const deadline = setTimeout(() => {
		console.log('FAIL the whole run took over 180 s');
		console.log(`browser: ${passed} passed, ${failed + 1} failed`);
		process.exit(1);
	}, 180_000);

	let id;
	await check('POST the strong.json PR/FAQ', async () => {
		id = await createDocument();
		return id;
	});
	if (!id)
		return;
	await check('link customer evidence to it', () => linkEvidence(id));
	const url = `${BASE}/v1/prfaqs/${id}`;

	let browser;
	await check('launch Debian Chromium headless', async () => {
		browser = await puppeteer.launch({
			executablePath: CHROMIUM,
			headless: true,
			// Talk DevTools over a pipe: no debugging port opens anywhere.
			pipe: true,
			args: [
				// Chromium's sandbox needs user namespaces or a setuid
				// helper, which root in a container does not get; the
				// page is our own and loaded from 127.0.0.1 only.
				...(process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : []),
				// Nothing leaves this machine: no name resolves except
				// the loopback literal, and every background service
				// that would phone home is off.
				'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
				'--no-proxy-server',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-domain-reliability',
				'--disable-client-side-phishing-detection',
				'--disable-sync',
				'--disable-extensions',
				'--disable-default-apps',
				'--disable-breakpad',
				'--no-pings',
				'--no-first-run',
				'--no-default-browser-check',
				'--metrics-recording-only',
				'--disable-features=Translate,OptimizationHints,MediaRouter,'
					+ 'AutofillServerCommunication,CertificateTransparencyComponentUpdater',
				// Same output on every machine: no GPU, sRGB.
				'--disable-gpu',
				'--force-color-profile=srgb',
				'--font-render-hinting=none',
			],
		});
		return await browser.version();
	});
	if (!browser)
		return;

	try {
		const page = await browser.newPage();
		const obs = new Observer();
		await obs.attach(page);
		// The GET the review meeting's printout makes; Accept picks HTML.
		await page.setExtraHTTPHeaders({ Authorization: `Bearer ${TOKEN}`, Accept: 'text/html' });
		await page.setViewport({ width: 1280, height: 900 });

		let response;
		await check('GET text/html over HTTP with the server\'s CSP header', async () => {
			response = await page.goto(url, { waitUntil: 'load' });
			assert(response.status() === 200, `HTTP ${response.status()}`);
			const h = response.headers();
			assert(/^text\/html/.test(h['content-type'] || ''), `Content-Type ${h['content-type']}`);
			const csp = h['content-security-policy'] || '';
			assert(/default-src 'none'/.test(csp), `Content-Security-Policy "${csp}"`);
			return csp;
		});
		if (!response)
			return;
		const headerCsp = response.headers()['content-security-policy'];

		const font = await bodyFont(obs.cdp);

		await check('the page ends with the evidence appendix, escaped', async () => {
			const a = await page.evaluate(evidenceAppendix);
			assert(a.last === 'evidence new-page', `the last section is .${a.last}`);
			assert(a.quotes === 2 && a.items === 2,
			       `${a.quotes} quoted anecdotes and ${a.items} listed items, not 2 and 2`);
			assert(a.bold === 0, 'an anecdote\'s markup became an element');
			return `${a.quotes} anecdotes quoted, ${a.items} requests and data points`;
		});

		for (const width of SCREEN_WIDTHS) {
			await check(`screen ${width} px: nothing overflows the page width`, async () => {
				await page.emulateMediaType('screen');
				await page.setViewport({ width, height: 900 });
				const r = await page.evaluate(findOverflow, width, TOLERANCE);
				assert(r.boxes > 0 && r.lines > 0, 'no boxes or text measured');
				assert(r.problems.length === 0, r.problems.slice(0, 5).join('; '));
				if (width === 1280 || width === 375)
					await page.screenshot({ path: join(ART, `screen-${width}.png`), fullPage: true });
				return `${r.boxes} boxes, ${r.lines} lines of text`;
			});
		}

		let margins = null;
		await check('the page sets its @page margins', async () => {
			margins = await page.evaluate(pageMargins);
			assert(margins, 'no @page margin rule in the page\'s stylesheet');
			return Object.entries(margins).map(([k, v]) => `${k} ${(v / MM).toFixed(1)} mm`).join(', ');
		});

		for (const paper of PAPERS) {
			const contentW = paper.width - (margins ? margins.left + margins.right : 0);
			const contentH = paper.height - (margins ? margins.top + margins.bottom : 0);
			let layout;

			await check(`print ${paper.name}: nothing overflows the content width`, async () => {
				await page.emulateMediaType('print');
				// Floor: a viewport is whole pixels, and narrower is the
				// safe side for both checks.
				await page.setViewport({ width: Math.floor(contentW), height: Math.floor(contentH) });
				const r = await page.evaluate(findOverflow, Math.floor(contentW), TOLERANCE);
				assert(r.boxes > 0 && r.lines > 0, 'no boxes or text measured');
				assert(r.problems.length === 0, r.problems.slice(0, 5).join('; '));
				return `${Math.floor(contentW)} px wide, ${r.boxes} boxes, ${r.lines} lines of text`;
			});

			await check(`print ${paper.name}: the press release ends within the first page's height`, async () => {
				layout = await page.evaluate(printLayout);
				assert(layout.prBottom !== null, 'no section.press-release on the page');
				assert(layout.prBottom <= contentH,
				       `it ends ${layout.prBottom.toFixed(0)} px down; page 1 holds ${contentH.toFixed(0)} px`);
				return `ends at ${layout.prBottom.toFixed(0)} of ${contentH.toFixed(0)} px`
					+ ` (${(100 * layout.prBottom / contentH).toFixed(0)}%)${font ? `, in ${font}` : ''}`;
			});

			const file = join(ART, `${paper.name}.pdf`);
			let pdf;
			await check(`print ${paper.name}: print-to-PDF`, async () => {
				const buf = Buffer.from(await page.pdf({ format: paper.format,
									 printBackground: true }));
				assert(buf.subarray(0, 5).toString() === '%PDF-', 'not a PDF');
				writeFileSync(file, buf);
				pdf = pdfPages(file);
				const want = [paper.width * 72 / 96, paper.height * 72 / 96];
				assert(Math.abs(pdf.width - want[0]) < 1 && Math.abs(pdf.height - want[1]) < 1,
				       `page size ${pdf.width} x ${pdf.height} pt, not ${paper.name}`);
				execFileSync('pdftoppm', ['-f', '1', '-l', '2', '-r', '60', '-png', file,
							  join(ART, `${paper.name}-page`)]);
				return `${pdf.pages} pages, ${buf.length} bytes`;
			});
			if (!pdf || !layout)
				continue;

			await check(`print ${paper.name}: the PDF has the whole press release on page 1`, async () => {
				const page1 = norm(pdf.text[0]);
				assert(layout.headline && page1.includes(norm(layout.headline)), 'headline not on page 1');
				assert(layout.prBlocks.length > 0, 'press release has no blocks');
				const missing = layout.prBlocks.map(norm).filter((t) => t && !page1.includes(t));
				assert(missing.length === 0,
				       `${missing.length} of ${layout.prBlocks.length} blocks not (wholly) on page 1, `
				       + `first: "${missing[0] && missing[0].slice(0, 60)}"`);
				return `${layout.prBlocks.length} blocks`;
			});

			await check(`print ${paper.name}: each new-page section (FAQ, appendix) opens a later page`, async () => {
				assert(layout.newPages.length > 0, 'no .new-page section on the page');
				const found = [];
				let after = 1;	// page index to search from: after page 1, then in order
				for (const s of layout.newPages) {
					assert(s.heading, `.${s.cls} has no heading`);
					const h = norm(s.heading);
					const at = pdf.text.findIndex((t, i) => i >= after && norm(t).startsWith(h));
					assert(at > 0, `"${h}" (${s.cls}) does not open any page after page 1`);
					assert(!norm(pdf.text[0]).includes(h), `"${h}" is on page 1`);
					found.push(`"${h}" opens page ${at + 1}`);
					after = at + 1;
				}
				return found.join(', ');
			});
		}

		await check('no console error or warning, no uncaught exception', async () => {
			assert(obs.console.length === 0,
			       obs.console.slice(0, 5).map((m) => `${m.level}: ${m.text}`).join(' | '));
			return `${obs.all.length} messages of lower levels`;
		});
		await check('no CSP violation', async () => {
			const v = await page.evaluate(() => window.__cspViolations);
			assert(Array.isArray(v), 'the violation listener was not installed');
			assert(v.length === 0, JSON.stringify(v.slice(0, 3)));
			const cspIssues = obs.issues.filter((i) => /ContentSecurityPolicy/.test(i.code));
			assert(cspIssues.length === 0, JSON.stringify(cspIssues.slice(0, 3)));
		});
		await check('no DevTools issue', async () => {
			assert(obs.issues.length === 0, obs.issues.slice(0, 3).map((i) => i.code).join(', '));
		});
		await check('every request went to prfaqd on 127.0.0.1', async () => {
			const others = obs.requests.filter((u) => !u.startsWith(`${BASE}/`));
			assert(others.length === 0, others.slice(0, 5).join(', '));
			assert(obs.requests.length === 1, `${obs.requests.length} requests: ${obs.requests.join(', ')}`);
			return obs.requests.length === 1 ? 'the page alone' : '';
		});

		// The canary: break the policy on purpose, and the channels above
		// must see it, or their silence proved nothing.  base-uri is only
		// in the header's policy (the <meta> one has default-src and
		// style-src), so a base-uri report shows the header is in force.
		await check('canary: CSP from header and <meta> both enforced and reported', async () => {
			const before = obs.all.length;
			const r = await page.evaluate(async () => {
				window.__canaryRan = false;
				const s = document.createElement('script');
				s.textContent = 'window.__canaryRan = true;';
				document.body.appendChild(s);
				const img = document.createElement('img');
				img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
				document.body.appendChild(img);
				const base = document.createElement('base');
				base.href = 'http://127.0.0.1/';
				document.head.appendChild(base);
				// Reports are queued as tasks: wait for all three kinds
				// (5 s at most, for a loaded machine).
				const want = ['script-src-elem', 'img-src', 'base-uri'];
				for (let i = 0; i < 100; i++) {
					const seen = new Set(window.__cspViolations.map((v) => v.directive));
					if (want.every((d) => seen.has(d)))
						break;
					await new Promise((ok) => setTimeout(ok, 50));
				}
				return { ran: window.__canaryRan, v: window.__cspViolations };
			});
			assert(r.ran === false, 'an injected inline script ran');
			const dirs = new Set(r.v.map((v) => v.directive));
			for (const d of ['script-src-elem', 'img-src', 'base-uri'])
				assert(dirs.has(d), `no ${d} violation reported (saw ${[...dirs].join(', ') || 'none'})`);
			assert(r.v.some((v) => v.directive === 'base-uri' && v.policy === headerCsp),
			       'the base-uri report does not name the header\'s policy');
			// The browser's log reaches us over DevTools, after the page's
			// events: give it the same 5 s.
			const refused = () => obs.all.slice(before).filter((m) => /Content Security Policy/i.test(m.text));
			for (let i = 0; i < 100 && refused().length === 0; i++)
				await new Promise((ok) => setTimeout(ok, 50));
			assert(refused().length > 0, 'the console did not report the violations');
			return `${r.v.length} events, ${refused().length} console reports`;
		});
	} finally {
		await browser.close();
		clearTimeout(deadline);
	}
}

/* The font Chromium actually used for the press release's text, for the log. */
async function bodyFont(cdp) {
	try {
		const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
		const { nodeId } = await cdp.send('DOM.querySelector',
						   { nodeId: root.nodeId, selector: 'section.press-release p' });
		if (!nodeId)
			return null;
		await cdp.send('DOM.enable');
		await cdp.send('CSS.enable');
		const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
		return fonts.map((f) => f.familyName).join(', ');
	} catch {
		return null;
	}
}

try {
	await main();
} catch (e) {
	failed++;
	console.log(`FAIL ${e && e.stack ? e.stack : e}`);
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
