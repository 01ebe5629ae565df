"""A feed reader (feedparser) reads a publisher's open reports as Atom: well formed, with
the feed's title and one entry per open report (its id, title, link and text).

Usage: atom_feed.py FEED_URL
Prints a JSON summary; exits non-zero if the feed is not well-formed Atom.
"""
import json
import sys

import feedparser

feed = feedparser.parse(sys.argv[1])
assert not feed.bozo, feed.bozo_exception
assert feed.version == "atom10", feed.version
print(json.dumps({
    "title": feed.feed.title,
    "entries": [{"id": e.id, "title": e.title, "link": e.link, "text": e.summary,
                 "author": e.get("author", "")} for e in feed.entries],
}))
