"""Walks the portal in Chromium as a person would: types a query on the landing page, ticks
a facet, follows a page link, opens a dataset, switches the language (and checks the next
page keeps it). Runs axe-core in every page it sees, and takes screenshots of the landing,
search and dataset pages at desktop and phone widths. Prints a JSON summary for
tests/api/portal.rs.

Usage: portal_browser.py BASE_URL CHROMIUM CHROMEDRIVER AXE_JS SCREENSHOT_DIR
"""
import json
import os
import sys
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

base, chromium, chromedriver, axe_path, shots = sys.argv[1:6]
os.makedirs(shots, exist_ok=True)
with open(axe_path, encoding="utf-8") as f:
    AXE = f.read()

options = webdriver.ChromeOptions()
options.binary_location = chromium
for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--hide-scrollbars", "--lang=fr-FR"):
    options.add_argument(flag)
# A French reader: the browser asks for French first.
options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
driver.set_page_load_timeout(30)
summary = {"axe": {}, "screenshots": []}


def wait_for(url_part):
    WebDriverWait(driver, 20).until(lambda d: url_part in d.current_url
                                    and d.execute_script("return document.readyState") == "complete")


def params():
    return urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)


def axe(name):
    """axe-core's WCAG 2 A/AA rules on the page as it is: the violations, by rule."""
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})), passes: r.passes.length}))"
        ".catch(e => done({error: String(e)}));")
    summary["axe"][name] = result


def screenshot(name):
    """The whole page at a desktop and at a phone width; whether the phone needs to scroll
    sideways (it must not)."""
    for label, width in (("desktop", 1280), ("phone", 390)):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 900), 6000))
        path = os.path.join(shots, f"{name}-{label}.png")
        driver.save_screenshot(path)
        summary["screenshots"].append(path)
        if label == "phone":
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            summary.setdefault("phone_overflow", {})[name] = overflow
    driver.set_window_size(1280, 900)


def lang():
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


try:
    driver.set_window_size(1280, 900)
    driver.get(base + "/")
    summary["landing_lang"] = lang()
    summary["landing_themes"] = len(driver.find_elements(By.CSS_SELECTOR, "#themes li"))
    axe("landing")
    screenshot("landing")

    # Typing offers title completions (a script over search/suggest)...
    box = driver.find_element(By.ID, "q")
    box.send_keys("zon")
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#q-suggestions option"))
    summary["suggestions"] = [o.get_attribute("value") for o in
                              driver.find_elements(By.CSS_SELECTOR, "#q-suggestions option")]
    box.clear()

    # ...then a query and Enter: the search page holds it and lists results.
    box.send_keys("zones humides")
    box.send_keys(Keys.ENTER)
    wait_for("/search")
    summary["query_in_url"] = params().get("q") == ["zones humides"]
    summary["query_held"] = driver.find_element(By.ID, "q").get_property("value")
    summary["query_total"] = int(driver.find_element(By.ID, "total").text)
    summary["query_titles"] = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results h3 a")]
    summary["marks"] = len(driver.find_elements(By.CSS_SELECTOR, "#results mark"))

    # Tick the first value of the format facet.
    facet = driver.find_element(By.CSS_SELECTOR, "#facet-format li a")
    summary["facet_count"] = int(facet.find_element(By.CSS_SELECTOR, ".n").text)
    facet.click()
    wait_for("format=")
    summary["facet_in_url"] = "format" in params()
    summary["facet_total"] = int(driver.find_element(By.ID, "total").text)
    summary["facet_ticked"] = len(driver.find_elements(By.CSS_SELECTOR, "#facet-format a[aria-current]"))
    summary["active_filters"] = len(driver.find_elements(By.CSS_SELECTOR, "#active li")) - 1
    axe("search")
    screenshot("search")

    # Remove the filter again from the list of active filters.
    driver.find_element(By.CSS_SELECTOR, "#active li:nth-child(2) a").click()
    WebDriverWait(driver, 20).until(lambda d: "format=" not in d.current_url
                                    and d.execute_script("return document.readyState") == "complete")
    summary["unfiltered_total"] = int(driver.find_element(By.ID, "total").text)

    # The dates' form: a period covered, sent with the words kept.
    period = driver.find_element(By.ID, "temporal")
    period.send_keys("2010/2015")
    period.submit()
    wait_for("temporal=")
    summary["period_params"] = {k: v for k, v in params().items() if k in ("q", "temporal")}
    summary["period_total"] = int(driver.find_element(By.ID, "total").text)

    # Everything, a page at a time: follow the link to the next page.
    driver.get(base + "/search")
    first_page = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results h3 a")]
    driver.find_element(By.CSS_SELECTOR, ".pager a[rel=next]").click()
    wait_for("page=2")
    second_page = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results h3 a")]
    summary["all_total"] = int(driver.find_element(By.ID, "total").text)
    summary["pages_seen"] = len(first_page) + len(second_page)
    summary["pages_overlap"] = len(set(first_page) & set(second_page))
    summary["current_page"] = driver.find_element(By.CSS_SELECTOR, ".pager [aria-current=page]").text

    # Open a dataset from the results.
    link = driver.find_element(By.CSS_SELECTOR, "#results h3 a")
    opened = link.text
    link.click()
    wait_for("/datasets/")
    summary["dataset_title_matches"] = driver.find_element(By.TAG_NAME, "h1").text == opened
    summary["dataset_lang"] = lang()
    summary["dataset_downloads"] = len(driver.find_elements(By.CSS_SELECTOR, "table.downloads tbody tr"))
    axe("dataset")

    # A dataset with a data paper, for the screenshots and the citation.
    driver.get(base + "/datasets/amphibiens-mares-zone-atelier-armorique")
    summary["citation"] = bool(driver.find_elements(By.CSS_SELECTOR, ".papers .citation"))
    summary["cite_block"] = driver.find_element(By.CSS_SELECTOR, ".cite .reference").text
    screenshot("dataset")

    # Its data paper's page: authors in order, the datasets it describes, the Cite block.
    driver.find_element(By.PARTIAL_LINK_TEXT, "sa fiche ici").click()
    wait_for("/data-papers/")
    summary["paper_authors"] = [li.text.split(" ORCID")[0] for li in driver.find_elements(By.CSS_SELECTOR, ".authors li")]
    summary["paper_datasets"] = len(driver.find_elements(By.XPATH, "//h2[following-sibling::ul]/following-sibling::ul[1]/li"))
    summary["paper_cite"] = driver.find_element(By.CSS_SELECTOR, ".cite .reference").text
    summary["paper_title_lang"] = driver.find_element(By.TAG_NAME, "h1").get_attribute("lang")
    axe("paper")
    screenshot("paper")
    driver.get(base + "/datasets/amphibiens-mares-zone-atelier-armorique")

    # Switch to English: the page says so, and the next page keeps it (the cookie).
    french_title = driver.find_element(By.TAG_NAME, "h1").text
    driver.find_element(By.CSS_SELECTOR, "header a.lang").click()
    wait_for("lang=en")
    summary["switched_lang"] = lang()
    summary["switched_title_differs"] = driver.find_element(By.TAG_NAME, "h1").text != french_title
    driver.get(base + "/search")
    summary["kept_lang"] = lang()
    summary["kept_label"] = driver.find_element(By.CSS_SELECTOR, "label[for=q]").text
    axe("search_en")
    driver.find_element(By.CSS_SELECTOR, "header a.lang").click()
    wait_for("lang=fr")
    summary["back_lang"] = lang()
finally:
    driver.quit()

print(json.dumps(summary))
