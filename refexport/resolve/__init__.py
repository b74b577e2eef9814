"""The network half: finding each item's DOI and arXiv id.

`plan` (pure) says which items to ask about; `session.Session` asks Crossref and arXiv through
`transport` (HTTP, pacing, retries, cache) and `sources` (requests and answers of each API);
`decide` and `match` (pure) choose, with reasons. A build from the lock imports none of it.
"""

#: The sources' public addresses; `--crossref-url`, `--arxiv-url` and `--doi-url` point elsewhere
#: (mirrors, tests).
CROSSREF_URL = "https://api.crossref.org"
ARXIV_URL = "https://export.arxiv.org/api/query"
DOI_URL = "https://doi.org"
