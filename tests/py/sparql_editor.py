"""Drives the SPARQL page in Chromium as a person would: picks an example, runs it, then
runs a query too long for a URL. Prints a JSON summary for tests/browser.rs.

Usage: sparql_editor.py ENDPOINT CHROMIUM CHROMEDRIVER
"""
import json
import sys
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

endpoint, chromium, chromedriver = sys.argv[1:4]

options = webdriver.ChromeOptions()
options.binary_location = chromium
for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update"):
    options.add_argument(flag)
# An explicit driver: Selenium Manager would otherwise try to download one.
driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
driver.set_page_load_timeout(30)
summary = {}


def run():
    """Clicks Run and waits for the answer page to replace the editor."""
    driver.find_element(By.CSS_SELECTOR, "#editor button[type=submit]").click()
    WebDriverWait(driver, 30).until(
        lambda d: d.find_elements(By.ID, "summary") or d.find_elements(By.ID, "error"))
    errors = driver.find_elements(By.ID, "error")
    if errors:
        raise SystemExit(f"the query failed: {errors[0].text}")
    return {
        # A GET carries the query in the URL, a POST does not.
        "in_url": "query" in urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query),
        "rows": len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")),
        "summary": driver.find_element(By.ID, "summary").text,
        "held": driver.find_element(By.ID, "query").get_property("value"),
    }


try:
    driver.get(endpoint)
    editor = driver.find_element(By.ID, "query")
    first_visit = editor.get_property("value")
    examples = Select(driver.find_element(By.ID, "examples"))
    # Option 0 is the prompt and option 1 the example a first visit holds already.
    examples.select_by_index(2)
    chosen = examples.first_selected_option.get_attribute("value")
    summary["example_in_editor"] = (editor.get_property("value") == chosen
                                    and chosen != first_visit and bool(chosen))
    answer = run()
    summary["example"] = answer | {"held_is_example": answer["held"] == chosen}

    # A query whose encoded form passes 2000 bytes: the page posts it instead of a GET.
    padding = "# " + "a comment that makes the query long " * 80 + "\n"
    long_query = (padding + "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n"
                  "SELECT ?dataset WHERE { ?dataset a dcat:Dataset }")
    assert len(urllib.parse.quote(long_query)) > 2000
    driver.get(endpoint)
    editor = driver.find_element(By.ID, "query")
    driver.execute_script("arguments[0].value = arguments[1]", editor, long_query)
    answer = run()
    summary["long"] = answer | {"held_is_query": answer["held"] == long_query}
    del summary["long"]["held"], summary["example"]["held"]
finally:
    driver.quit()

print(json.dumps(summary))
