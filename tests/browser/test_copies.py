"""Two copies of the same widget address on one page: widgets.js gives the second its own ids."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.hosts import HostSite, host_page

SUMMARY = "/widgets/substance-summary/kratom"
FORM = "/widgets/feedback-form?page=https://clinic.example/help"

# Every attribute that points at an id, and how to read the ids out of it.
REFERENCES = """
root => {
  const refs = [];
  for (const el of root.querySelectorAll("*")) {
    for (const name of ["aria-labelledby", "aria-describedby", "aria-controls", "for"]) {
      for (const id of (el.getAttribute(name) || "").split(/\\s+/).filter(Boolean)) refs.push(id);
    }
    const href = el.getAttribute("href") || el.getAttribute("data-hx-target") || "";
    if (href.startsWith("#") && href.length > 1) refs.push(href.slice(1));
  }
  return refs;
}
"""


@pytest.mark.parametrize("mode", ["htmx2", "htmx4"])
def test_copies_share_no_id_and_each_refers_only_to_itself(
    page: Page, harness_site: HostSite, mode: str
) -> None:
    page.goto(host_page(harness_site, mode, [SUMMARY, FORM, SUMMARY, FORM]))
    widgets = page.locator('[data-widget="substance-summary"], [data-widget="feedback-form"]')
    expect(widgets).to_have_count(4)
    ids = page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)")
    assert len(ids) == len(set(ids)), "duplicate ids"
    for index in range(4):
        widget = widgets.nth(index)
        refs = widget.evaluate(REFERENCES)
        assert refs
        for ref in refs:
            assert widget.locator(f'[id="{ref}"]').count() == 1, f"copy {index}: #{ref} elsewhere"
    page.problems.assert_none()


def test_each_copy_of_the_feedback_form_answers_in_its_own_status(
    page: Page, harness_site: HostSite
) -> None:
    page.goto(host_page(harness_site, "htmx2", [FORM, FORM]))
    forms = page.locator('[data-widget="feedback-form"]')
    expect(forms).to_have_count(2)
    forms.nth(1).get_by_role("button", name="Yes").click()
    expect(forms.nth(1).get_by_role("status")).to_have_text("Thank you. Your answer was saved.")
    expect(forms.nth(0).get_by_role("status")).to_have_text("")
    expect(forms.nth(1).get_by_role("textbox")).to_be_visible()
    expect(forms.nth(0).get_by_role("button", name="Yes")).to_be_visible()
    page.problems.assert_none()


def test_a_footnote_in_the_second_copy_leads_to_its_own_sources(
    page: Page, harness_site: HostSite
) -> None:
    page.goto(host_page(harness_site, "htmx4", [SUMMARY, SUMMARY]))
    second = page.locator('[data-widget="substance-summary"]').nth(1)
    expect(second).to_be_visible()
    reference = second.locator("sup a").first
    target = reference.get_attribute("href")
    assert second.locator(target).count() == 1
    assert page.locator('[data-widget="substance-summary"]').nth(0).locator(target).count() == 0
