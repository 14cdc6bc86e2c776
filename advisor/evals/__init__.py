"""Evals: retrieval accuracy measured through the `Advisor`, as the site owner's visitors would get it.

In: a labelled question file (`questions`) or a BEIR dataset (`beir`). Out: per-question metrics
(`metrics`, `evaluate`), report documents written as JSON, Markdown and SVG (`run`, `report`), two
reports compared with bootstrap intervals (`compare`), abstention thresholds chosen (`calibration`).
"""
