"""What the browser test checks on every page, at every width: nothing wider than the screen,
every menu item reachable (visible on a wide screen; behind a real, labelled Menu button on a
small one), no serious or critical axe-core violation, our own basic checks, and a screenshot."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import SCREENSHOTS

WIDE, NARROW = 1280, 390
SMALL_SCREEN = 768  # the CSS folds the menu below 48rem

BASICS = r"""
() => {
  const problems = [];
  if (document.querySelectorAll('main').length !== 1) problems.push('expected one <main>');
  if (!document.querySelector('nav')) problems.push('no <nav>');
  if (document.querySelectorAll('h1').length !== 1) problems.push('expected one <h1>');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) problems.push('unlabelled control: ' + el.outerHTML.slice(0, 100));
  }
  for (const el of document.querySelectorAll('[tabindex]')) {
    if (parseInt(el.getAttribute('tabindex'), 10) > 0) problems.push('positive tabindex: ' + el.outerHTML.slice(0, 80));
  }
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length) problems.push('duplicate ids: ' + dupes.join(', '));
  return problems;
}
"""

AXE_RUN = r"""
async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '')) }));
}
"""

WIDTHS = r"""() => [document.documentElement.scrollWidth, window.innerWidth]"""

# Each menu link: is it rendered, and is it fully inside the window (not cut off, not scrolled away)?
MENU_LINKS = r"""
() => [...document.querySelectorAll('header nav a, header nav button')].map(el => {
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const shown = box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
  return { label: el.textContent.trim(), shown,
           inside: box.left >= 0 && box.right <= window.innerWidth + 0.5 && box.top >= 0 };
})
"""


async def no_sideways_scroll(page) -> None:
    scroll_width, inner_width = await page.evaluate(WIDTHS)
    assert scroll_width <= inner_width, f"{page.url}: the page is {scroll_width}px wide in a {inner_width}px window"


async def menu_is_reachable(page, width: int) -> None:
    """Wide: every item of both menus visible and whole. Small: a labelled Menu button that opens
    (every item then visible and whole) and closes again (Escape)."""
    if width >= SMALL_SCREEN:
        links = await page.evaluate(MENU_LINKS)
        assert links, f"{page.url}: no menu"
        bad = [link["label"] for link in links if not (link["shown"] and link["inside"])]
        assert not bad, f"{page.url} at {width}px: menu items hidden or cut off: {bad}"
        assert not await page.locator(".menu-button").is_visible()
        return
    button = page.get_by_role("button", name="Menu", exact=True)
    assert await button.is_visible(), f"{page.url} at {width}px: no Menu button"
    assert await button.get_attribute("aria-expanded") == "false"
    assert await button.get_attribute("aria-controls") == "site-menu"
    folded = await page.evaluate(MENU_LINKS)
    assert not any(link["shown"] for link in folded), "the menu should start folded on a small screen"
    await button.click()
    assert await button.get_attribute("aria-expanded") == "true"
    links = await page.evaluate(MENU_LINKS)
    bad = [link["label"] for link in links if not (link["shown"] and link["inside"])]
    assert links and not bad, f"{page.url} at {width}px: open menu items hidden or cut off: {bad}"
    await no_sideways_scroll(page)
    await page.keyboard.press("Escape")
    assert await button.get_attribute("aria-expanded") == "false"
    assert await page.evaluate("() => document.activeElement.classList.contains('menu-button')")


async def accessible(page) -> None:
    violations = await page.evaluate(AXE_RUN)
    assert violations == [], f"axe-core on {page.url}: {violations}"
    problems = await page.evaluate(BASICS)
    assert problems == [], f"{page.url}: {problems}"


async def screenshot(page, folder: str, name: str) -> Path:
    path = SCREENSHOTS / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path), full_page=True)
    return path


async def check_page(page, width: int, name: str, *, folder: str | None = None) -> None:
    """The screenshot (as a visitor first sees the page, menu folded), then every check."""
    await page.locator("h1").first.wait_for()
    await screenshot(page, folder or str(width), name)
    await no_sideways_scroll(page)
    await accessible(page)
    await menu_is_reachable(page, width)
    if width < SMALL_SCREEN and name == "today":  # what the open menu looks like, once
        await page.get_by_role("button", name="Menu", exact=True).click()
        await screenshot(page, folder or str(width), "today-menu-open")
        await page.keyboard.press("Escape")
