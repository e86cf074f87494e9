"""Reports for legal reviewers: selections of findings, HTML/PDF rendering, CSV and SARIF exports, Annex IV cards.

Reads go through `selectors` (a flat number of queries whatever the number of findings); rendering lives in
`rendering` and `pdf`; stored reports are built by `tasks.build_report` through `services`.
"""
