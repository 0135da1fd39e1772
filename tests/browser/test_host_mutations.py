"""A busy host page: widgets.js looks only at widgets, never at every element the host adds.

A partner's single-page app may add thousands of nodes at a time. widgets.js
watches for widget arrivals (to give a second copy its own ids); the
instrumented page below records every element that widgets.js itself calls a
DOM method on. 5,000 unrelated nodes added in one go: widgets.js touches the
one node that was added, not the 4,999 inside it, and never queries every
element of the page. A widget that arrives afterwards is still given its own
ids, without a walk over the page either.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.hosts import HostSite, host_page

BANNER = "/widgets/helpline-banner"
UNRELATED = 5000

# Every call widgets.js makes (found by its place in the call stack) to one of
# these methods is recorded: on which unrelated element, and whether it asked
# for every element of the page.
INSTRUMENT = """
(() => {
  const seen = window.__cwSeen = { touched: new Set(), pageWalks: 0 };
  const whole = (node) =>
    node === document || node === document.documentElement || node === document.body;
  const wrap = (proto, name) => {
    const original = proto[name];
    proto[name] = function (...args) {
      if ((new Error().stack || "").includes("/static/widgets.js")) {
        if (this.classList && this.classList.contains("unrelated")) seen.touched.add(this);
        if (name === "querySelectorAll" && args[0] === "*" && whole(this)) seen.pageWalks++;
      }
      return original.apply(this, args);
    };
  };
  for (const name of ["matches", "closest", "querySelector", "querySelectorAll", "getAttribute"]) {
    wrap(Element.prototype, name);
  }
  wrap(Document.prototype, "querySelectorAll");
})();
"""

ADD_UNRELATED = """
count => new Promise(resolve => {
  const container = document.createElement("div");
  container.className = "unrelated";
  let parent = container;
  for (let i = 1; i < count; i++) {
    const node = document.createElement(i % 10 ? "span" : "div");
    node.className = "unrelated";
    node.textContent = i % 10 ? "x" : "";
    (i % 10 ? parent : container).appendChild(node);
    if (!(i % 10)) parent = node;
  }
  document.querySelector("main").appendChild(container);
  // The observer's callback runs after this task; read what it did then.
  setTimeout(() => resolve({
    added: container.querySelectorAll("*").length + 1,
    touched: window.__cwSeen.touched.size,
    pageWalks: window.__cwSeen.pageWalks,
  }), 50);
})
"""

ADD_WIDGET = """
url => {
  const slot = document.createElement("div");
  slot.id = "late-slot";
  slot.setAttribute("hx-get", url);
  slot.setAttribute("hx-trigger", "load");
  document.querySelector("main").appendChild(slot);
  htmx.process(slot);
}
"""


@pytest.mark.parametrize("mode", ["htmx2", "htmx4"])
def test_unrelated_nodes_are_not_scanned_and_a_later_copy_still_gets_its_own_ids(
    page: Page, harness_site: HostSite, service_origin: str, mode: str
) -> None:
    page.add_init_script(INSTRUMENT)
    page.goto(host_page(harness_site, mode, [BANNER]))
    banners = page.locator('[data-widget="helpline-banner"]')
    expect(banners).to_have_count(1)

    result = page.evaluate(ADD_UNRELATED, UNRELATED)
    assert result["added"] == UNRELATED
    # The one node the host appended may be looked at; none of the nodes inside it.
    assert result["touched"] <= 1, f"widgets.js touched {result['touched']} unrelated elements"
    assert result["pageWalks"] == 0

    page.evaluate(ADD_WIDGET, f"{service_origin}{BANNER}")
    expect(banners).to_have_count(2)
    late = page.locator('#late-slot [data-widget="helpline-banner"]')
    # The later copy is enhanced: a group with ids of its own, every reference inside it.
    expect(late).to_have_attribute("role", "group")
    ids = page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)")
    assert len(ids) == len(set(ids)), "duplicate ids"
    first_title = banners.nth(0).get_attribute("aria-labelledby")
    assert first_title and late.locator(f'[id="{first_title}"]').count() == 0
    seen = page.evaluate("() => [window.__cwSeen.touched.size, window.__cwSeen.pageWalks]")
    assert seen == [result["touched"], 0], "a widget's arrival walked the host page"
    page.problems.assert_none()
