"""Identifiers read from the links lists carry: publishers' paths cut at the end of the DOI."""

import pytest

from refexport.identifiers import ids_in_url


@pytest.mark.parametrize(("url", "doi"), [
    ("https://academic.oup.com/bib/article-abstract/doi/10.1093/bib/bbz144/5669856", "10.1093/bib/bbz144"),  # OUP's article number
    ("https://www.nature.com/articles/s41586-020-2649-2", "10.1038/s41586-020-2649-2"),
    ("https://www.nature.com/articles/s41586-020-2649-2.pdf", "10.1038/s41586-020-2649-2"),
    ("https://dl.acm.org/doi/pdf/10.1145/3600006.3613165", "10.1145/3600006.3613165"),
    ("https://link.springer.com/article/10.1007/s10994-021-06012-3", "10.1007/s10994-021-06012-3"),
    ("https://www.biorxiv.org/content/10.1101/2020.01.01.123456v2.full.pdf", "10.1101/2020.01.01.123456"),
    ("https://doi.org/10.5555/12345/6789012", "10.5555/12345/6789012"),  # a doi.org address is the DOI as it is
    ("https://www.nature.com/articles/", ""),
])
def test_a_publisher_link_gives_the_doi_it_holds_and_no_more(url: str, doi: str) -> None:
    assert ids_in_url(url) == ("", doi)
