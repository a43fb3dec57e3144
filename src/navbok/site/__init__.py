"""The national site around the books: the overview, each book's downloads and print summary,
the country's open data, the cross-page check and the published folder (:mod:`.publish`)."""
