"""The network half: finding each item's DOI and arXiv id.

`plan` (pure) says which items to ask about; `session.Session` asks Crossref and arXiv through
`transport` (HTTP, pacing, retries, cache) and `sources` (requests and answers of each API, and
`sources.registry`, one line a source);
`decide` and `match` (pure) choose, with reasons. A build from the lock imports none of it.
"""
