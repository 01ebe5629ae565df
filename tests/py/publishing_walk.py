"""A person publishes a dataset in Chromium, without any other tool: signs in with a token,
fills the form for a new dataset with one file and no licence, publishes, sees the
profile's advice next to the licence field, picks a licence and changes the title, finds
the dataset in the search, sees the change in its history, and signs out; then, as an
anonymous reuser, reports a problem on the dataset's page and declares a reuse; the
editor signs in again and answers the report, which resolves it, describes the data paper
about the dataset from its page, and opens their organisation's form. Runs axe-core
in every page it sees and takes screenshots of each at desktop and phone widths. Prints a
JSON summary for tests/api/publishing.rs.

Usage: publishing_walk.py BASE_URL TOKEN CHROMIUM CHROMEDRIVER AXE_JS SCREENSHOT_DIR
"""
import json
import os
import sys
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

base, token, chromium, chromedriver, axe_path, shots = sys.argv[1:7]
os.makedirs(shots, exist_ok=True)
with open(axe_path, encoding="utf-8") as f:
    AXE = f.read()

options = webdriver.ChromeOptions()
options.binary_location = chromium
for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--hide-scrollbars", "--lang=fr-FR"):
    options.add_argument(flag)
options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
driver.set_page_load_timeout(30)
summary = {"axe": {}, "screenshots": [], "phone_overflow": {}}


def loaded():
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def navigate(element):
    """Clicks `element`, which leads to another page, and waits for that page."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 20).until(lambda _: gone(old))
    loaded()


def gone(element):
    """Whether `element` left the document: stale, or (a chromedriver race while the
    next page replaces it) a node that "does not belong to the document" any more."""
    try:
        return expected_conditions.staleness_of(element)(driver)
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


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
    """The whole page at a desktop and at a phone width, and whether the phone needs to
    scroll sideways (it must not)."""
    for label, width in (("desktop", 1280), ("phone", 390)):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 900), 9000))
        path = os.path.join(shots, f"publish-{name}-{label}.png")
        driver.save_screenshot(path)
        summary["screenshots"].append(path)
        if label == "phone":
            summary["phone_overflow"][name] = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    driver.set_window_size(1280, 900)


def look(name):
    axe(name)
    screenshot(name)


def notes_by(field_id):
    """The notes shown in the field block around the input `field_id`."""
    block = driver.find_element(By.ID, field_id).find_element(By.XPATH, "ancestor::div[@class='field'][1]")
    return [li.text for li in block.find_elements(By.CSS_SELECTOR, ".notes li")]


try:
    # Signing in from the header's link, which comes back to the page.
    driver.get(base + "/")
    loaded()
    navigate(driver.find_element(By.CSS_SELECTOR, "header a[href*='signin']"))
    look("signin")
    driver.find_element(By.ID, "token").send_keys(token)
    navigate(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    summary["after_signin"] = driver.current_url
    summary["header_after_signin"] = driver.find_element(By.TAG_NAME, "header").text

    # The account page leads to the form.
    driver.get(base + "/account")
    loaded()
    look("account")
    navigate(driver.find_element(By.CSS_SELECTOR, "main a[href$='publish/datasets']"))
    look("new")
    driver.find_element(By.ID, "title_fr").send_keys("Loutres du Léguer <2025>")
    driver.find_element(By.ID, "description_fr").send_keys("Comptages annuels des loutres sur le Léguer.")
    driver.find_element(By.ID, "keyword_fr").send_keys("loutre, mammifères")
    driver.find_element(By.CSS_SELECTOR, "input[name=theme][value$='/ENVI']").click()
    # The long list of languages filters as one types; a ticked one stays shown.
    languages = driver.find_element(By.CSS_SELECTOR, "input[type=search][aria-controls='checks-language']")
    languages.send_keys("bret")
    summary["language_filter"] = driver.execute_script(
        "return [...document.querySelectorAll('#checks-language label')].filter(l => !l.hidden)"
        ".map(l => l.querySelector('input').value)")
    driver.find_element(By.CSS_SELECTOR, "input[name=language][value$='/BRE']").click()
    driver.find_element(By.ID, "d0_title").send_keys("Comptages 2025")
    driver.find_element(By.ID, "d0_download_url").send_keys("https://example.org/loutres-2025.csv")
    # The long list of formats filters as one types (progressive enhancement).
    filter_box = driver.find_element(By.CSS_SELECTOR, "input[type=search][aria-controls='d0_format']")
    filter_box.send_keys("csv")
    visible = driver.execute_script(
        "return [...document.getElementById('d0_format').options].filter(o => !o.hidden && o.value).map(o => o.value)")
    summary["format_filter"] = visible
    Select(driver.find_element(By.ID, "d0_format")).select_by_value(
        "http://publications.europa.eu/resource/authority/file-type/CSV")
    navigate(driver.find_element(By.CSS_SELECTOR, "button[name=action][value=publish]"))
    summary["after_publish"] = driver.current_url
    summary["done"] = driver.find_element(By.CSS_SELECTOR, ".done").text
    summary["licence_notes"] = notes_by("d0_license")
    summary["title_value"] = driver.find_element(By.ID, "title_fr").get_attribute("value")
    look("edit-with-advice")

    # Picks a licence (its explanation shows under the picker) and changes the title.
    Select(driver.find_element(By.ID, "d0_license")).select_by_value(
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
    summary["licence_note"] = driver.find_element(By.CSS_SELECTOR, ".licence-note").text
    title = driver.find_element(By.ID, "title_fr")
    title.clear()
    title.send_keys("Loutres du Léguer, comptages")
    navigate(driver.find_element(By.CSS_SELECTOR, "button[name=action][value=publish]"))
    summary["licence_notes_after"] = notes_by("d0_license")
    edit_url = driver.current_url
    dataset_url = edit_url.split("/edit")[0]

    # The dataset page, with the way back to the form.
    driver.get(dataset_url)
    loaded()
    summary["dataset_h1"] = driver.find_element(By.TAG_NAME, "h1").text
    summary["edit_link"] = len(driver.find_elements(By.CSS_SELECTOR, "main a[href$='/edit']"))
    look("dataset")

    # Its metadata quality, with what to improve, reached from its page.
    navigate(driver.find_element(By.CSS_SELECTOR, "main a[href$='/quality']"))
    summary["quality_score"] = driver.find_element(By.CSS_SELECTOR, ".score").text
    summary["quality_advice"] = [p.text for p in driver.find_elements(By.CSS_SELECTOR, ".advice")]
    look("quality")
    driver.get(base + "/quality")
    loaded()
    summary["dashboard_h1"] = driver.find_element(By.TAG_NAME, "h1").text
    look("dashboard")

    # The search finds it (the index follows the store within a moment).
    found = False
    for _ in range(40):
        driver.get(base + "/search?" + urllib.parse.urlencode({"q": "loutres Léguer"}))
        loaded()
        if dataset_url in [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main a")]:
            found = True
            break
        time.sleep(0.25)
    summary["found_in_search"] = found

    # Its history compares the two versions: the title changed.
    driver.get(dataset_url + "/history")
    loaded()
    navigate(driver.find_element(By.CSS_SELECTOR, "form.compare button"))
    summary["diff"] = driver.find_element(By.CSS_SELECTOR, ".changes").text
    look("history")

    # The delete confirmation (not confirmed).
    driver.get(dataset_url + "/delete")
    loaded()
    look("delete")

    # Signing out from the header.
    navigate(driver.find_element(By.CSS_SELECTOR, "header form.signout button"))
    summary["header_after_signout"] = driver.find_element(By.TAG_NAME, "header").text
    driver.get(edit_url)
    loaded()
    summary["edit_after_signout"] = driver.current_url

    # An anonymous reuser reports a problem on the dataset's page.
    driver.get(dataset_url)
    loaded()
    form = driver.find_element(By.CSS_SELECTOR, "section.feedback form.feedback-form")
    if not form.is_displayed():
        driver.find_element(By.CSS_SELECTOR, "section.feedback details summary").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=motivation][value=assessing]").click()
    driver.find_element(By.ID, "feedback-text").send_keys("Le fichier CSV renvoie une erreur 404.")
    driver.find_element(By.ID, "feedback-name").send_keys("Léa")
    driver.find_element(By.ID, "feedback-email").send_keys("lea@example.org")
    navigate(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    summary["thanks_shown"] = driver.find_element(By.ID, "feedback-sent").is_displayed()
    summary["thread"] = driver.find_element(By.CSS_SELECTOR, "ol.thread").text
    look("dataset-thread")

    # The reuser declares what they made with the data.
    driver.find_element(By.CSS_SELECTOR, "section.reuses details summary").click()
    driver.find_element(By.ID, "reuse-title").send_keys("Carte des loutres du Léguer")
    driver.find_element(By.ID, "reuse-url").send_keys("https://example.org/carte-loutres")
    Select(driver.find_element(By.ID, "reuse-kind")).select_by_value("visualisation")
    navigate(driver.find_element(By.CSS_SELECTOR, "section.reuses form button[type=submit]"))
    summary["reuses_on_page"] = driver.find_element(By.CSS_SELECTOR, "section.reuses").text
    driver.get(base + "/reuses")
    loaded()
    summary["reuses_page"] = driver.find_element(By.TAG_NAME, "main").text
    look("reuses")

    # The publisher's open reports, which a coordinator works through.
    driver.get(base + "/agents/ecobio/feedback")
    loaded()
    summary["reports"] = driver.find_element(By.CSS_SELECTOR, "main").text
    look("reports")

    # Its editor signs in again and answers the report, which resolves it.
    driver.get(base + "/signin")
    loaded()
    driver.find_element(By.ID, "token").send_keys(token)
    navigate(driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    driver.get(dataset_url)
    loaded()
    driver.find_element(By.CSS_SELECTOR, "ol.thread details.answer summary").click()
    driver.find_element(By.CSS_SELECTOR, "ol.thread details.answer textarea").send_keys("Corrigé : le lien pointe vers le bon fichier.")
    Select(driver.find_element(By.CSS_SELECTOR, "ol.thread details.answer select")).select_by_value("resolved")
    look("dataset-answering")
    navigate(driver.find_element(By.CSS_SELECTOR, "ol.thread details.answer button[type=submit]"))
    summary["answered"] = driver.find_element(By.CSS_SELECTOR, "ol.thread").text
    driver.get(base + "/agents/ecobio/feedback")
    loaded()
    summary["reports_after"] = driver.find_element(By.CSS_SELECTOR, "main").text

    # From the dataset's page, the editor describes the data paper about it.
    driver.get(dataset_url)
    loaded()
    navigate(driver.find_element(By.CSS_SELECTOR, "main a[href*='publish/data-papers']"))
    summary["paper_ticked"] = driver.find_element(
        By.CSS_SELECTOR, "input[name=describes][value='%s']" % dataset_url).is_selected()
    look("paper-new")
    driver.find_element(By.ID, "title_en").send_keys("Otters of the Léguer: ten years of counts")
    driver.find_element(By.ID, "creator").send_keys("https://orcid.org/0000-0002-1825-0097")
    driver.find_element(By.ID, "doi").send_keys("10.1016/j.dib.2025.111222")
    driver.find_element(By.ID, "journal").send_keys("Data in Brief")
    navigate(driver.find_element(By.CSS_SELECTOR, "button[name=action][value=publish]"))
    summary["paper_done"] = driver.find_element(By.CSS_SELECTOR, ".done").text
    look("paper-edit")
    paper_url = driver.current_url.split("/edit")[0]
    driver.get(paper_url)
    loaded()
    summary["paper_h1"] = driver.find_element(By.TAG_NAME, "h1").text
    summary["paper_page"] = driver.find_element(By.TAG_NAME, "main").text
    look("paper")

    # And their organisation's description, from its page.
    driver.get(base + "/agents/ecobio")
    loaded()
    navigate(driver.find_element(By.CSS_SELECTOR, "main a[href$='/edit']"))
    summary["agent_class"] = driver.find_element(By.CSS_SELECTOR, "input[name=class]:checked").get_attribute("value")
    look("agent-edit")
    navigate(driver.find_element(By.CSS_SELECTOR, "header form.signout button"))
finally:
    driver.quit()

print(json.dumps(summary))
