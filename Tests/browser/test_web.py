#!/usr/bin/env python3
"""The web page in a real headless Chromium, driven by Selenium.

Starts `auditledger serve` on a free port over a fresh ledger in a temporary directory,
creates tokens with `auditledger token create`, seeds two accounts over the HTTP API (one
event carries an XSS payload in every free-text field), then runs each check below in order
and prints "N passed, M failed". Screenshots of the main states go to
.test-artifacts/screenshots/ (git-ignored).

Run by scripts/browser-tests, or directly once the binary is built:
    python3 Tests/browser/test_web.py [--binary .build/debug/auditledger]
"""

import argparse
import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DOWNLOADS = ARTIFACTS / "downloads"
GEO_DATABASE = ROOT / "fixtures" / "geo" / "AuditLedger-City-Test.mmdb"
XSS = "<img src=x onerror=alert(1)>"
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# MARK: The server under test

class Ledger:
    """A fresh ledger served by the real binary, with one token per (account, scope)."""

    def __init__(self, binary):
        self.binary = str(binary)
        self.directory = Path(tempfile.mkdtemp(prefix="auditledger-browser-"))
        self.db = str(self.directory / "ledger.sqlite")
        self.cli("init")
        self.tokens = {}
        self.token_ids = {}
        for account in ("acme", "globex"):
            for scope in ("ingest", "read"):
                self.create_token(account, scope)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(self.directory / "serve.log", "w")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--port", str(self.port), "--geoip-db", str(GEO_DATABASE),
             "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"auditledger serve did not start:\n{(self.directory / 'serve.log').read_text()}")
            time.sleep(0.1)

    def cli(self, *arguments):
        result = subprocess.run([self.binary, *arguments, "--db", self.db], capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"auditledger {' '.join(arguments)} failed: {result.stderr}")
        return result

    def create_token(self, account, scope):
        result = self.cli("token", "create", "--account", account, "--scope", scope, "--name", f"{account} {scope}")
        self.tokens[(account, scope)] = result.stdout.strip()
        self.token_ids[(account, scope)] = re.search(r"created token (\S+)", result.stderr).group(1)

    def revoke(self, account, scope):
        self.cli("token", "revoke", self.token_ids[(account, scope)])

    def request(self, path, token, body=None):
        request = urllib.request.Request(f"{self.base}{path}", data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def post(self, account, events):
        return self.request("/v1/events", self.tokens[(account, "ingest")], events)

    def get(self, account, path):
        return self.request(path, self.tokens[(account, "read")])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def remove(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PLACES = ["81.2.69.160", "89.160.20.112", "2.2.3.4", "216.160.83.56", "175.16.199.7"]
MEMBERS = [{"id": "u_jane", "name": "Jane Doe", "email": "jane@acme.example", "type": "user"},
           {"id": "u_bob", "name": "Bob Stone", "type": "user"}]


def seed(ledger):
    """acme: 38 `stack.*` events in the last 6 days, 10 SSH logins, one event 40 days old and one
    carrying the XSS payload; globex: 5 billing events. Returns what the checks compare with."""
    events = []
    for i in range(30):
        events.append({"id": f"deploy-{i}", "name": "stack.deploy", "actor": MEMBERS[i % 2], "ip": PLACES[i % 5],
                       "occurred_at": rfc3339(NOW - timedelta(hours=2 + i * 4.5)),
                       "outcome": "failure" if i % 7 == 3 else "success",
                       "targets": [{"type": "stack", "id": f"stack-{i % 3}", "name": "production"}],
                       "description": f"deployed build {i}", "metadata": {"build": i, "region": "eu-west"}})
    for i in range(8):
        events.append({"id": f"delete-{i}", "name": "stack.delete", "actor": MEMBERS[1], "ip": PLACES[(i + 1) % 5],
                       "occurred_at": rfc3339(NOW - timedelta(hours=3 + i * 13))})
    for i in range(10):
        events.append({"id": f"ssh-{i}", "name": "server.ssh.login", "actor": MEMBERS[0], "ip": PLACES[2],
                       "occurred_at": rfc3339(NOW - timedelta(hours=5 + i * 9)),
                       "description": "opened an SSH session on web-3", "user_agent": "OpenSSH_9.6"})
    events.append({"id": "old-deploy", "name": "stack.deploy", "actor": MEMBERS[0], "ip": PLACES[3],
                   "occurred_at": rfc3339(NOW - timedelta(days=40))})
    events.append({"id": "xss", "name": "user.login", "ip": "81.2.69.161",
                   "actor": {"id": "u_evil", "name": XSS, "email": "\"><script>alert(5)</script>@x.example"},
                   "occurred_at": rfc3339(NOW - timedelta(minutes=30)), "outcome": "failure",
                   "description": "<script>alert(2)</script>", "user_agent": "Mozilla/5.0 <svg onload=alert(4)>",
                   "targets": [{"type": "page", "id": "<b>x</b>", "name": "<iframe src=javascript:alert(6)>"}],
                   "metadata": {"html": "<img src=x onerror=alert(3)>", "nested": {"list": [1, 2, {"deep": True}]}}})
    receipts = ledger.post("acme", events)["receipts"]
    globex = [{"id": f"invoice-{i}", "name": "billing.invoice.paid",
               "actor": {"id": "g_gina", "name": "Gina Globex"}, "ip": "175.16.199.20",
               "occurred_at": rfc3339(NOW - timedelta(hours=1 + i))} for i in range(5)]
    ledger.post("globex", globex)
    by_id = {receipt["id"]: receipt for receipt in receipts}
    return {"xss_seq": by_id["xss"]["seq"], "old_seq": by_id["old-deploy"]["seq"], "stack_recent": 38}


# MARK: The browser

def start_browser():
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1000", "--disable-extensions", "--no-first-run", "--lang=en-US"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(DOWNLOADS),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An alert left open fails the next command instead of being dismissed silently.
    options.set_capability("unhandledPromptBehavior", "ignore")
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(DOWNLOADS)})
    driver.set_script_timeout(30)
    return driver


class Page:
    """The page's controls, and waits for what the checks look for."""

    def __init__(self, driver, ledger):
        self.driver = driver
        self.ledger = ledger

    def open(self, path="/"):
        self.driver.get(f"{self.ledger.base}{path}")
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete")

    def wait(self, condition, timeout=15, message=""):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(condition, message)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def visible(self, css):
        elements = self.driver.find_elements(By.CSS_SELECTOR, css)
        return bool(elements) and elements[0].is_displayed()

    def sign_in(self, account="acme", path="/"):
        self.open(path)
        self.driver.execute_script("sessionStorage.clear()")
        self.open(path)
        self.wait(lambda d: self.visible("#token"), message="the sign-in form")
        self.find("#token").send_keys(self.ledger.tokens[(account, "read")])
        self.find("#sign-in-form button[type=submit]").click()
        self.wait_for_results()

    def wait_for_results(self):
        """Waits until the results, the chart and the top lists have loaded."""
        self.wait(lambda d: self.visible("#app-view") and d.execute_script(
            "return !document.querySelector('[aria-busy]')"
            " && document.getElementById('results-summary').textContent !== 'Loading…'"),
            message="results to load")

    def search(self, **fields):
        """Fills the form (name, range, actor, country, outcome, q, limit, from, to) and submits it."""
        for name, value in fields.items():
            element = self.find(f"#f-{name}")
            if element.tag_name == "select":
                self.driver.execute_script(
                    "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", element, value)
            elif element.get_attribute("type") == "datetime-local":
                self.driver.execute_script("arguments[0].value = arguments[1]", element, value)
            else:
                element.clear()
                element.send_keys(value)
        self.find("#search-button").click()
        self.wait_for_results()

    def rows(self):
        """Each result row as {column label: text}."""
        return self.driver.execute_script("""
            return [...document.querySelectorAll('#results-body tr')].map(tr =>
              Object.fromEntries([...tr.cells].map(td => [td.dataset.label, td.textContent])));""")

    def all_rows(self):
        """The rows of every page of the current search, paging with "Older"."""
        rows = self.rows()
        while self.find("#older").is_enabled():
            self.find("#older").click()
            self.wait_for_results()
            rows += self.rows()
        return rows

    def params(self):
        return self.driver.execute_script("return Object.fromEntries(new URLSearchParams(location.search))")

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))

    def open_detail(self, seq):
        self.find(f'#results-body button[data-seq="{seq}"]').click()
        self.wait(lambda d: d.execute_script("return document.getElementById('detail').open"), message="the detail")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#proof-status")
                  or "No such event" in self.find("#detail-body").text, message="the event")

    def proof_state(self):
        self.wait(lambda d: self.find("#proof-status").get_attribute("data-state") not in (None, "pending"),
                  message="the inclusion check")
        return self.find("#proof-status").get_attribute("data-state")

    def close_detail(self):
        self.find("#detail-close").click()
        self.wait(lambda d: not d.execute_script("return document.getElementById('detail').open"))

    def active(self):
        return self.driver.execute_script(
            "const e = document.activeElement; return e ? (e.id || e.className || e.tagName) : null")

    def tab_until(self, predicate_js, limit=60):
        """Presses Tab until `predicate_js` (over `document.activeElement`) holds; the presses taken."""
        for presses in range(1, limit + 1):
            self.driver.switch_to.active_element.send_keys(Keys.TAB)
            if self.driver.execute_script(f"const e = document.activeElement; return Boolean({predicate_js})"):
                return presses
        raise AssertionError(f"Tab never reached {predicate_js}")


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def no_alert(driver):
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    driver.switch_to.alert.dismiss()
    raise AssertionError(f"an alert opened: {text!r}")


# MARK: The checks, in order

def check_sign_in_page(page, seeded):
    page.open("/")
    page.driver.execute_script("sessionStorage.clear()")
    page.open("/")
    page.wait(lambda d: page.visible("#token"))
    expect(not page.visible("#app-view"), "the search is hidden before signing in")
    expect(page.find("label[for=token]").text == "Read token", "the token field is labelled")
    expect(page.find("#token").get_attribute("type") == "password", "the token is typed into a password field")
    page.screenshot("01-sign-in")


def check_wrong_token_is_refused(page, seeded):
    page.open("/")
    page.find("#token").send_keys("al_not-a-real-token")
    page.find("#sign-in-form button[type=submit]").click()
    page.wait(lambda d: page.visible("#sign-in-message"), message="the refusal")
    expect("not accepted" in page.find("#sign-in-message").text, page.find("#sign-in-message").text)
    expect(page.driver.execute_script("return sessionStorage.length") == 0, "a refused token is not kept")


def check_keyboard_only_sign_in_search_and_detail(page, seeded):
    page.open("/")
    page.driver.execute_script("sessionStorage.clear()")
    page.open("/")
    page.wait(lambda d: page.visible("#token"))
    page.driver.execute_script("document.activeElement.blur()")
    page.tab_until("e.id === 'token'", limit=6)
    outline = page.driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    expect(outline != "none", f"the focused field shows its focus (outline {outline})")
    page.driver.switch_to.active_element.send_keys(page.ledger.tokens[("acme", "read")], Keys.ENTER)
    page.wait_for_results()
    expect(page.active() == "f-name", f"focus moves to the first search field, not {page.active()}")
    page.driver.switch_to.active_element.send_keys("stack.*", Keys.ENTER)
    page.wait(lambda d: page.params().get("name") == "stack.*", message="the search in the URL")
    page.wait_for_results()
    names = {row["Activity"] for row in page.rows()}
    expect(names and all(name.startswith("stack.") for name in names), f"only stack.* events: {names}")
    page.tab_until("e.classList.contains('link-button') && e.closest('#results-body')")
    outline = page.driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    expect(outline != "none", "the focused row button shows its focus")
    opener = page.driver.execute_script("return document.activeElement.dataset.seq")
    page.driver.switch_to.active_element.send_keys(Keys.ENTER)
    page.wait(lambda d: d.execute_script("return document.getElementById('detail').open"), message="Enter opens the detail")
    page.proof_state()
    page.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    page.wait(lambda d: not d.execute_script("return document.getElementById('detail').open"), message="Escape closes it")
    expect(page.driver.execute_script("return document.activeElement.dataset.seq") == opener,
           "focus returns to the row that opened the detail")


def check_search_by_prefix_and_range(page, seeded):
    page.sign_in()
    page.search(name="stack.*", range="all", limit="100")
    everything = page.rows()
    expect(len(everything) == seeded["stack_recent"] + 1, f"all time: {len(everything)} stack.* events")
    expect(all(row["Activity"].startswith("stack.") for row in everything), "only the stack family")
    page.screenshot("02-results")

    page.search(range="30d")
    recent = page.rows()
    expect(len(recent) == seeded["stack_recent"], f"30 days: {len(recent)}, without the 40-day-old deploy")
    expect(page.params().get("range") == "30d" and page.params().get("name") == "stack.*", f"URL: {page.params()}")

    start = (datetime.now() - timedelta(days=41)).strftime("%Y-%m-%dT%H:%M")
    end = (datetime.now() - timedelta(days=39)).strftime("%Y-%m-%dT%H:%M")
    page.search(range="custom", **{"from": start, "to": end})
    custom = page.rows()
    expect(len(custom) == 1 and custom[0]["Activity"] == "stack.deploy", f"custom range: {custom}")
    params = page.params()
    expect(params.get("range") == "custom" and params.get("from", "").endswith("Z"), f"custom range in the URL: {params}")

    # Bookmarkable: the URL alone gives the same search; back and forward move between searches.
    bookmark = page.driver.current_url
    page.driver.back()
    page.wait(lambda d: page.params().get("range") == "30d", message="back to the 30-day search")
    page.wait_for_results()
    expect(len(page.rows()) == seeded["stack_recent"], "back shows the previous search's results")
    expect(page.find("#f-range").get_attribute("value") == "30d", "and its form")
    page.driver.forward()
    page.wait(lambda d: page.params().get("range") == "custom", message="forward")
    page.wait_for_results()
    expect(len(page.rows()) == 1, "forward shows the custom range again")
    page.open("/")
    page.driver.get(bookmark)
    page.wait_for_results()
    expect(len(page.rows()) == 1 and page.find("#f-range").get_attribute("value") == "custom", "the bookmark reopens it")
    expect(page.find("#f-from").get_attribute("value") == start, "with the range in the viewer's local time")

    row = page.rows()[0]
    title = page.find("#results-body time").get_attribute("title")
    expect(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", title or ""), f"UTC on hover: {title!r}")
    expect(row["Location"] == "New York, United States", f"city and country: {row['Location']}")
    expect(row["IP"] == PLACES[3], f"IP: {row['IP']}")


def check_paging_older_and_newer(page, seeded):
    page.sign_in()
    page.search(name="stack.*", range="7d", limit="25")
    first = page.rows()
    expect(len(first) == 25, f"a full first page: {len(first)}")
    page.driver.set_window_size(1280, 1500)
    page.screenshot("02b-overview")
    page.driver.set_window_size(1280, 1000)
    expect(not page.find("#newer").is_enabled() and page.find("#older").is_enabled(), "only Older on page 1")
    page.find("#older").click()
    page.wait_for_results()
    second = page.rows()
    expect(len(second) == seeded["stack_recent"] - 25, f"the rest on page 2: {len(second)}")
    expect(not page.find("#older").is_enabled() and page.find("#newer").is_enabled(), "only Newer on the last page")
    expect(page.params().get("cursor"), "the page's cursor is in the URL")
    key = lambda row: (row["Time"], row["Activity"], row["Team member"])
    expect(not {key(r) for r in first} & {key(r) for r in second}, "no event on both pages")
    times = page.driver.execute_script("return [...document.querySelectorAll('#results-body time')].map(t => t.dateTime)")
    expect(times == sorted(times, reverse=True), "newest first")
    page.find("#newer").click()
    page.wait_for_results()
    expect(page.rows() == first, "Newer returns to the first page")
    page.driver.back()
    page.wait_for_results()
    page.wait(lambda d: page.rows() == second, message="back returns to page 2")


def check_detail_and_inclusion_proof(page, seeded):
    page.sign_in()
    page.search(name="stack.deploy", range="7d")
    seq = page.find("#results-body button").get_attribute("data-seq")
    page.open_detail(seq)
    state = page.proof_state()
    expect(state == "verified", f"the inclusion proof verifies: {state} {page.find('#proof-status').text}")
    event = page.ledger.get("acme", f"/v1/events/{seq}")
    body = page.find("#detail-body").text
    for text in (event["hash"], event["previous_hash"], "stack:stack-", "eu-west", "deployed build"):
        expect(text in body, f"the detail shows {text}")
    expect(f"{seq} in the ledger" in body, "and the seq")
    expect(page.params().get("event") == seq, "the open event is in the URL")
    page.screenshot("03-detail")
    page.close_detail()
    # The dialog's "close" event, which updates the URL, is queued after `open` turns false.
    page.wait(lambda d: "event" not in page.params(), message="closing removes it")


def check_verifier_refuses_a_wrong_root(page, seeded):
    """The page's RFC 9162 verifier, called with the server's proof: true for the checkpoint's
    root, false for a root, leaf or index that is one bit or one place off."""
    page.sign_in()
    results = page.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const token = sessionStorage.getItem('auditledger.readToken');
        const get = (path) => fetch(path, {headers: {Authorization: 'Bearer ' + token}}).then(r => r.json());
        const hex = (h) => new Uint8Array(h.match(/../g).map(b => parseInt(b, 16)));
        (async () => {
          const {verifyInclusion} = await import('/assets/app.js');
          const checkpoint = await get('/v1/checkpoint');
          const event = await get('/v1/events/' + arguments[0]);
          const proof = await get(`/v1/proofs/inclusion?seq=${event.seq}&tree_size=${checkpoint.tree_size}`);
          const path = proof.proof.map(hex), root = hex(checkpoint.root_hash), leaf = hex(event.hash);
          const flipped = root.slice(); flipped[0] ^= 1;
          const otherLeaf = leaf.slice(); otherLeaf[31] ^= 0x80;
          return [
            await verifyInclusion(leaf, event.seq - 1, checkpoint.tree_size, path, root),
            await verifyInclusion(leaf, event.seq - 1, checkpoint.tree_size, path, flipped),
            await verifyInclusion(otherLeaf, event.seq - 1, checkpoint.tree_size, path, root),
            await verifyInclusion(leaf, event.seq, checkpoint.tree_size, path, root),
            await verifyInclusion(leaf, event.seq - 1, checkpoint.tree_size, path.slice(1), root),
            path.length,
          ];
        })().then(done, (e) => done(String(e)));""", seeded["old_seq"])
    expect(results[:5] == [True, False, False, False, False], f"verify: {results}")
    expect(results[5] >= 5, f"a real audit path: {results[5]} hashes")

    # And end to end: a checkpoint whose root was altered in transit is reported as not verifying.
    page.driver.execute_script("""
        const real = window.fetch;
        window.fetch = async (url, init) => {
          const response = await real(url, init);
          if (!String(url).startsWith('/v1/checkpoint')) return response;
          const body = await response.json();
          body.root_hash = body.root_hash.replace(/^./, c => c === '0' ? '1' : '0');
          return new Response(JSON.stringify(body), {status: 200, headers: {'Content-Type': 'application/json'}});
        };""")
    page.search(name="stack.deploy")
    page.open_detail(page.find("#results-body button").get_attribute("data-seq"))
    expect(page.proof_state() == "failed", "a forged root does not verify")
    page.screenshot("03b-detail-forged-root")
    page.close_detail()


def check_xss_payload_renders_as_text(page, seeded):
    page.sign_in()
    page.search(name="user.login", range="24h")
    rows = page.rows()
    no_alert(page.driver)
    expect(len(rows) == 1, f"the payload event: {rows}")
    expect(rows[0]["Team member"].startswith(XSS), f"the actor's name is shown as text: {rows[0]['Team member']!r}")
    page.open_detail(str(seeded["xss_seq"]))
    page.proof_state()
    no_alert(page.driver)
    body = page.find("#detail-body").text
    for text in (XSS, "<script>alert(2)</script>", "<img src=x onerror=alert(3)>", "<svg onload=alert(4)>",
                 "<iframe src=javascript:alert(6)>"):
        expect(text in body, f"shown as text: {text}")
    counts = page.driver.execute_script("""return {
        img: document.querySelectorAll('img').length,
        script: document.querySelectorAll('body script').length,
        iframe: document.querySelectorAll('iframe').length,
        handlers: document.querySelectorAll('[onerror], [onload]').length,
        svg: document.querySelectorAll('#detail svg, #results-body svg').length}""")
    expect(counts == {"img": 0, "script": 0, "iframe": 0, "handlers": 0, "svg": 0}, f"no element from data: {counts}")
    page.screenshot("04-xss-as-text")
    page.close_detail()
    no_alert(page.driver)


def check_chart_and_top_lists(page, seeded):
    page.sign_in()
    page.search(name="stack.*", range="7d")
    page.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#chart svg rect.bar"), message="the chart")
    bars = page.driver.execute_script(
        "return [...document.querySelectorAll('#chart rect.bar')].map(r => r.querySelector('title').textContent)")
    total = sum(int(re.search(r": ([\d,]+) events?$", title).group(1).replace(",", "")) for title in bars)
    expect(total == seeded["stack_recent"], f"the bars add up to the search: {total}")
    expect(7 <= len(bars) <= 9, f"one bar per day of the last 7 days: {len(bars)}")
    tops = page.driver.execute_script(
        "return [...document.querySelectorAll('#top-names li')].map(li => li.querySelector('button').textContent)")
    expect(tops == ["stack.deploy", "stack.delete"], f"top activities: {tops}")
    actors = page.find("#top-actors").text
    expect("Bob Stone (u_bob)" in actors and "Jane Doe (u_jane)" in actors, f"top team members: {actors}")
    countries = page.find("#top-countries li button").text
    expect(re.fullmatch(r".+ \([A-Z]{2}\)", countries), f"top countries: {countries}")
    page.find("#top-names li button").click()
    page.wait(lambda d: page.params().get("name") == "stack.deploy", message="a top activity filters the search")
    page.wait_for_results()
    expect({row["Activity"] for row in page.rows()} == {"stack.deploy"}, "to that activity")


def downloaded(suffix, after):
    deadline = time.time() + 20
    while time.time() < deadline:
        files = [f for f in DOWNLOADS.glob(f"*{suffix}") if f.stat().st_mtime >= after]
        if files:
            return files[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded")


def check_export(page, seeded):
    """Each export button saves the export and its manifest beside it; the manifest counts the
    export's rows, and `auditledger verify-export` accepts the pair with the ledger's key."""
    page.sign_in()
    page.search(name="", range="30d")
    key = json.loads(urllib.request.urlopen(f"{page.ledger.base}/v1/key", timeout=30).read())["verifier_key"]
    for button, suffix in (("#export-csv", ".csv"), ("#export-ndjson", ".ndjson")):
        started = time.time() - 1
        page.find(button).click()
        saved = downloaded(suffix, started)
        manifest_file = downloaded(f"{suffix}.manifest.json", started)
        expect(manifest_file.name == saved.name + ".manifest.json", f"the manifest beside the export: {manifest_file.name}")
        expect(saved.name.startswith("acme-"), f"named after the account and range: {saved.name}")
        page.wait(lambda d: "Saved export and manifest" in page.find("#export-status").text, message="the export status")
        status = page.find("#export-status").text
        expect("auditledger verify-export" in status and key in status, f"the status says how to verify: {status}")
        text = saved.read_bytes().decode("utf-8")
        if suffix == ".csv":
            table = list(csv.reader(io.StringIO(text, newline="")))
            header = table[0]
            expect("seq" in header and "hash" in header, f"a CSV header: {header[:8]}")
            rows = table[1:]
        else:
            rows = [json.loads(line) for line in text.splitlines() if line]
            expect({row["account"] for row in rows} == {"acme"}, "only acme's events")
        expect(len(rows) >= 50, f"{suffix}: {len(rows)} events")
        expect("globex" not in text and "Gina" not in text, "nothing of the other account")
        manifest = json.loads(manifest_file.read_text())
        expect(manifest["account"] == "acme" and manifest["format"] == suffix[1:], f"the manifest's account and format: {manifest}")
        expect(manifest["row_count"] == len(rows), f"{suffix}: the manifest counts {manifest['row_count']} rows, the file has {len(rows)}")
        verified = subprocess.run([page.ledger.binary, "verify-export", str(saved), str(manifest_file), "--key", key],
                                  capture_output=True, text=True, timeout=60)
        expect(verified.returncode == 0, f"verify-export {saved.name}: exit {verified.returncode}: {verified.stdout}{verified.stderr}")
    page.screenshot("05-export")


def check_other_account_sees_nothing(page, seeded):
    page.sign_in("globex")
    page.search(name="", range="all", limit="100")
    rows = page.all_rows()
    names = {row["Activity"] for row in rows}
    expect(names <= {"billing.invoice.paid", "auditledger.search", "auditledger.export"}, f"globex sees {names}")
    expect("billing.invoice.paid" in names, "its own events")
    text = page.find("body").text
    for foreign in ("Jane Doe", "Bob Stone", "stack.", "u_evil"):
        expect(foreign not in text, f"nothing of acme's: {foreign}")
    expect("globex" in page.find("#account-label").text, "the account is named")
    page.open(f"/?event={seeded['xss_seq']}")
    page.wait(lambda d: "No such event" in page.find("#detail-body").text, message="another account's event")
    expect(XSS not in page.find("body").text, "is not shown")
    page.screenshot("06-other-account")


def check_empty_state(page, seeded):
    page.sign_in()
    page.search(name="nothing.matches.this", range="24h")
    expect(page.visible("#empty-state") and not page.visible("#results"), "the empty state")
    expect(page.find("#older").is_enabled() is False, "no paging")
    page.screenshot("07-empty")
    page.search(name="Not A Name!")
    page.wait(lambda d: page.visible("#banner"), message="the refusal")
    expect("not accepted" in page.find("#banner-text").text and "name" in page.find("#banner-text").text,
           page.find("#banner-text").text)
    expect(not page.visible("#results") and not page.visible("#empty-state"), "and no rows of an earlier search")


def check_narrow_viewport(page, seeded):
    page.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
    try:
        page.sign_in()
        page.search(name="", range="7d", limit="25")
        overflow = lambda: page.driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth, document.body.scrollWidth]")
        width, document_width, body_width = overflow()
        expect(width == 375, f"a 375-pixel viewport: {width}")
        expect(document_width <= width and body_width <= width, f"no horizontal scroll: {overflow()}")
        expect(page.driver.execute_script(
            "return getComputedStyle(document.querySelector('#results thead')).display") == "none",
            "the table's header row is hidden")
        expect(page.driver.execute_script(
            "return getComputedStyle(document.querySelector('#results-body tr')).display") == "block",
            "each event is a card")
        page.screenshot("08-mobile")
        page.driver.execute_script("document.getElementById('results-heading').scrollIntoView()")
        page.screenshot("08b-mobile-results")
        page.search(name="user.login", range="24h")
        page.open_detail(str(seeded["xss_seq"]))
        page.proof_state()
        dialog = page.driver.execute_script(
            "const d = document.getElementById('detail'); return [d.scrollWidth, d.clientWidth, d.getBoundingClientRect().right]")
        expect(dialog[0] <= dialog[1] and dialog[2] <= 375, f"the detail fits: {dialog}")
        expect(overflow()[1] <= 375, "still no horizontal scroll")
        page.screenshot("09-mobile-detail")
        page.close_detail()
    finally:
        page.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def check_sign_out(page, seeded):
    page.sign_in()
    page.find("#sign-out").click()
    page.wait(lambda d: page.visible("#token"), message="the sign-in form")
    expect(page.driver.execute_script("return sessionStorage.length") == 0, "the token is forgotten")
    expect(page.driver.execute_script("return document.querySelectorAll('#results-body tr').length") == 0,
           "the results are gone")
    expect("signed out" in page.find("#sign-in-message").text, "and says so")
    page.driver.refresh()
    page.wait(lambda d: page.visible("#token"), message="still signed out after a reload")


def check_revoked_token_returns_to_sign_in(page, seeded):
    page.sign_in("globex")
    page.ledger.revoke("globex", "read")
    page.find("#search-button").click()
    page.wait(lambda d: page.visible("#sign-in-message"), message="back to sign-in")
    expect("not accepted" in page.find("#sign-in-message").text, page.find("#sign-in-message").text)
    expect(page.driver.execute_script("return sessionStorage.length") == 0, "the revoked token is dropped")
    page.screenshot("10-token-refused")


def check_server_unreachable(page, seeded):
    page.sign_in()
    page.ledger.stop()
    page.find("#search-button").click()
    page.wait(lambda d: page.visible("#banner"), message="the error banner")
    expect("cannot be reached" in page.find("#banner-text").text, page.find("#banner-text").text)
    expect(page.visible("#banner-retry"), "with a way to try again")
    expect(page.visible("#app-view"), "while staying signed in")
    page.screenshot("11-unreachable")


CHECKS = [
    check_sign_in_page,
    check_wrong_token_is_refused,
    check_keyboard_only_sign_in_search_and_detail,
    check_search_by_prefix_and_range,
    check_paging_older_and_newer,
    check_detail_and_inclusion_proof,
    check_verifier_refuses_a_wrong_root,
    check_xss_payload_renders_as_text,
    check_chart_and_top_lists,
    check_export,
    check_other_account_sees_nothing,
    check_empty_state,
    check_narrow_viewport,
    check_sign_out,
    check_revoked_token_returns_to_sign_in,
    check_server_unreachable,  # stops the server: last
]

# Console messages a check may cause on purpose: a refused search or token, the stopped
# server, and "not found" for another account's event. Anything else (a CSP violation, a script error) fails.
EXPECTED_CONSOLE = re.compile(r"Failed to load resource: (the server responded with a status of (400|401|404)|net::ERR_CONNECTION_REFUSED)"
                              r"|/v1/.* - Failed to fetch|TypeError: Failed to fetch")


def console_problems(driver):
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] in ("SEVERE", "WARNING") and not EXPECTED_CONSOLE.search(entry["message"])]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.environ.get("AUDITLEDGER_BIN", str(ROOT / ".build" / "debug" / "auditledger")))
    parser.add_argument("-k", dest="only", help="run only the checks whose name contains this")
    arguments = parser.parse_args()

    shutil.rmtree(DOWNLOADS, ignore_errors=True)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    started = time.time()
    ledger = Ledger(arguments.binary)
    driver = None
    passed, failed = [], []
    try:
        seeded = seed(ledger)
        driver = start_browser()
        page = Page(driver, ledger)
        for check in CHECKS:
            if arguments.only and arguments.only not in check.__name__:
                continue
            name = check.__name__.removeprefix("check_")
            began = time.time()
            try:
                check(page, seeded)
                problems = console_problems(driver)
                expect(not problems, f"browser console: {problems}")
                passed.append(name)
                print(f"PASS {name} ({time.time() - began:.1f}s)", flush=True)
            except Exception:  # noqa: BLE001 - every failure is reported, and the next check runs
                failed.append(name)
                print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
                try:
                    page.screenshot(f"failed-{name}")
                except Exception:  # noqa: BLE001
                    pass
    finally:
        if driver:
            driver.quit()
        ledger.remove()
    print(f"browser tests: {len(passed)} passed, {len(failed)} failed in {time.time() - started:.0f}s"
          + (f" ({', '.join(failed)})" if failed else "") + f"; screenshots in {SCREENSHOTS.relative_to(ROOT)}/")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
