"""View models shared by the static HTML report and the web app: plain data for autoescaping templates.

page (the story page: first screen, then ranked sections), cards (citations, ranked lists, links),
timeline (the chart zoomed to the story's dates), labels (outlet names, party names, originals),
listing (the story list and search), article (the article page), outlet (the outlet page), markup
(article text cut into marked pieces), context (the one-file report).
"""
