// Browser tests of a running `milieu serve --demo` (started by tests/browser.rs).
//
// Logs in as each demo role through the /login form, browses every page the role may use,
// takes screenshots and checks the contracts the pages promise:
// - the network map renders nodes (#network-map gets data-rendered-nodes > 0);
// - a broker makes an introduction on /matches (form.introduce -> .notice);
// - a manager uploading a bad CSV on /import sees the failing line (ul.details li "line ");
// - a member cannot open another firm's private tie (/ties/<id> and /api/ties/<id> are 404);
// - the API viewer on /api/docs loads the OpenAPI document;
// - no page throws a script error or breaks the Content Security Policy.
//
// Environment: MILIEU_BASE_URL, MILIEU_PASSWORD (of every demo account), MILIEU_MEMBER_ORG,
// MILIEU_PRIVATE_TIE (a private tie between two firms other than the member's),
// MILIEU_SCREENSHOTS (folder), MILIEU_BROWSER_REQUIRE_ALL=1 to fail on routes this build
// does not serve (otherwise they are listed as skipped), CHROMIUM (default /usr/bin/chromium).
//
// Each failure names its step and saves FAILED-<step>.png; the exit status is 1 if any failed.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const base = (process.env.MILIEU_BASE_URL || "").replace(/\/$/, "");
const password = process.env.MILIEU_PASSWORD || "";
const memberOrg = process.env.MILIEU_MEMBER_ORG || "";
const privateTie = process.env.MILIEU_PRIVATE_TIE || "";
const shots = process.env.MILIEU_SCREENSHOTS || "browser-screenshots";
const requireAll = process.env.MILIEU_BROWSER_REQUIRE_ALL === "1";
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

if (!base || !password) {
  console.error("MILIEU_BASE_URL and MILIEU_PASSWORD must be set");
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
for (const f of fs.readdirSync(shots)) {
  if (f.endsWith(".png")) fs.rmSync(path.join(shots, f));
}

const failures = [];
const skipped = [];
let passed = 0;

/** Routes this build does not serve: axum's fallback answers 404 with an empty body, while a
 * missing record answers 404 with the error page. */
class MissingRoute extends Error {}

function slug(text) {
  return text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80) || "root";
}

async function step(name, page, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok      ${name}`);
  } catch (e) {
    if (e instanceof MissingRoute && !requireAll) {
      skipped.push(`${name}: ${e.message}`);
      console.log(`skipped ${name}: ${e.message}`);
      return;
    }
    const message = String(e.message).split("\n")[0];
    failures.push(`${name}: ${message}`);
    console.log(`FAILED  ${name}: ${message}`);
    if (page) {
      const file = path.join(shots, `FAILED-${slug(name)}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`        screenshot: ${file}`);
    }
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Throws MissingRoute when this build does not serve `url`: axum's fallback answers 404
 * with an empty body (a missing record gets the error page). Asked before navigating,
 * because Chromium turns such an answer into a failed navigation and its own error page. */
async function checkServed(page, url) {
  const r = await page.request.get(base + url);
  if (r.status() === 404 && (await r.text()).trim() === "") {
    throw new MissingRoute(`${url} is not served by this build`);
  }
  return r;
}

/** Opens a page and checks it answered 2xx (after redirects). */
async function visit(page, url) {
  await checkServed(page, url);
  const response = await page.goto(base + url, { waitUntil: "load" });
  assert(response, `no response for ${url}`);
  const status = response.status();
  assert(status >= 200 && status < 300, `${url} answered ${status}`);
  assert(!new URL(page.url()).pathname.startsWith("/login"), `${url} sent the browser to the login page`);
  return response;
}

async function login(context, role) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) {
      problems.push(`CSP violation on ${page.url()}: ${m.text()}`);
    }
  });
  await page.goto(`${base}/login`);
  await page.fill("#username", role);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  assert(!new URL(page.url()).pathname.startsWith("/login"), `login as ${role} failed (still on ${page.url()})`);
  assert(await page.locator("form.logout").count() === 1, `no logout form after logging in as ${role}`);
  return { page, problems };
}

const pagesFor = (role) => {
  const pages = [
    ["/", "dashboard"],
    ["/orgs", "orgs"],
    [`/orgs/${encodeURIComponent(memberOrg)}`, "org"],
    ["/events", "events"],
    ["/network", "network"],
    ["/mapping", "mapping"],
    ["/opportunities", "opportunities"],
  ];
  // Partner suggestions are leads: the team's and members' page, not funders'.
  if (role !== "funder") pages.push([role === "member" ? "/matches" : `/matches?org=${encodeURIComponent(memberOrg)}`, "matches"]);
  if (role === "admin" || role === "manager") pages.push(["/import", "import"]);
  if (role === "admin") pages.push(["/admin/users", "admin-users"]);
  pages.push(["/api/docs", "api-docs"]);
  return pages;
};

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});

try {
  for (const role of ["admin", "manager", "broker", "member", "funder"]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20000);
    let session = null;
    await step(`${role}: log in through /login`, null, async () => {
      session = await login(context, role);
    });
    if (!session) {
      await context.close();
      continue;
    }
    const { page, problems } = session;

    for (const [url, name] of pagesFor(role)) {
      await step(`${role}: open ${url}`, page, async () => {
        await visit(page, url);
        assert(await page.locator("h1").count() > 0, `${url} has no h1 heading`);
        await page.screenshot({ path: path.join(shots, `${role}-${name}.png`), fullPage: true });
      });
    }

    await step(`${role}: dashboard shows the KPI series`, page, async () => {
      await visit(page, "/");
      assert(await page.locator("svg.chart").count() > 0, "no chart on the dashboard");
      assert(await page.locator("#total-ties_formed").count() === 1, "no ties formed total");
      const api = await page.request.get(`${base}/api/dashboard`);
      assert(api.status() === 200, `/api/dashboard answered ${api.status()}`);
      const d = await api.json();
      assert(d.series.length > 0 && d.periods.length > 0, "the dashboard API has no series");
      if (role === "funder") {
        assert(d.aggregate_only === true, "the funder's dashboard is not aggregate-only");
        assert(d.outcomes_by_kind.every((r) => r.points.length === 0), "the funder sees outcomes per quarter by kind");
      }
    });

    await step(`${role}: API viewer loads the OpenAPI document`, page, async () => {
      await visit(page, "/api/docs");
      await page.waitForSelector("#swagger-ui .opblock", { timeout: 20000 });
      const text = await page.locator("#swagger-ui").innerText();
      assert(text.includes("/api/dashboard"), "the viewer does not list /api/dashboard");
    });

    if (role === "manager" || role === "member") {
      await step(`${role}: the network map renders nodes`, page, async () => {
        await visit(page, "/network");
        const map = page.locator("#network-map");
        await map.waitFor({ state: "attached" });
        await page.waitForFunction(
          () => Number(document.querySelector("#network-map")?.getAttribute("data-rendered-nodes") || 0) > 0,
          null,
          { timeout: 30000 },
        );
        const n = Number(await map.getAttribute("data-rendered-nodes"));
        assert(n > 0, `data-rendered-nodes is ${n}`);
        await page.screenshot({ path: path.join(shots, `${role}-network-rendered.png`), fullPage: true });
      });
    }

    if (role === "broker") {
      await step("broker: make an introduction on /matches", page, async () => {
        await visit(page, `/matches?org=${encodeURIComponent(memberOrg)}`);
        const button = page.locator("form.introduce").getByRole("button", { name: "Introduce" }).first();
        assert(await button.count() === 1, "no Introduce button inside form.introduce");
        await Promise.all([page.waitForLoadState("load"), button.click()]);
        await page.locator(".notice").first().waitFor({ state: "visible" });
        await page.screenshot({ path: path.join(shots, "broker-introduced.png"), fullPage: true });
      });
    }

    if (role === "manager") {
      await step("manager: a bad CSV on /import names the line", page, async () => {
        await visit(page, "/import");
        await page.selectOption("select[name=kind]", "organisations");
        await page.setInputFiles("input[type=file][name=file]", {
          name: "bad-organisations.csv",
          mimeType: "text/csv",
          buffer: Buffer.from("id,name,kind\nbad-1,Bad Example Ltd,not_a_kind\n"),
        });
        await Promise.all([
          page.waitForLoadState("load"),
          page.getByRole("button", { name: "Import", exact: true }).click(),
        ]);
        const items = page.locator("ul.details li", { hasText: "line " });
        await items.first().waitFor({ state: "visible" });
        await page.screenshot({ path: path.join(shots, "manager-import-error.png"), fullPage: true });
      });
    }

    if (role === "member" || role === "funder") {
      await step(`${role}: another role's pages are refused`, page, async () => {
        const refused = role === "funder" ? ["/matches", "/import", "/admin/users"] : ["/import", "/orgs/new", "/admin/users"];
        for (const url of refused) {
          const response = await page.goto(base + url, { waitUntil: "load" });
          assert(response && response.status() === 403, `${url} answered ${response && response.status()}, expected 403`);
        }
      });
    }

    if (role === "member") {
      await step("member: another firm's private tie is not found (page and API)", page, async () => {
        assert(privateTie, "MILIEU_PRIVATE_TIE is not set");
        const id = encodeURIComponent(privateTie);
        const pageResponse = await page.request.get(`${base}/ties/${id}`);
        assert(pageResponse.status() === 404, `/ties/${privateTie} answered ${pageResponse.status()}`);
        const body = await pageResponse.text();
        assert(!/"(from|to)"|strength|trust/i.test(body) || body.includes("not found"), "the 404 page shows the tie");
        const api = await page.request.get(`${base}/api/ties/${id}`);
        assert(api.status() === 404, `/api/ties/${privateTie} answered ${api.status()}`);
        const apiBody = await api.text();
        assert(apiBody.trim() === "" || JSON.parse(apiBody).code === "web.not_found", `/api/ties answered ${apiBody}`);
      });
    }

    await step(`${role}: no script errors or CSP violations`, page, async () => {
      assert(problems.length === 0, problems.join("; "));
    });
    await context.close();
  }
} finally {
  await browser.close();
}

console.log(`\n${passed} passed, ${failures.length} failed, ${skipped.length} skipped`);
for (const s of skipped) console.log(`  skipped: ${s}`);
for (const f of failures) console.log(`  FAILED: ${f}`);
console.log(`screenshots in ${shots}`);
process.exit(failures.length ? 1 : 0);
