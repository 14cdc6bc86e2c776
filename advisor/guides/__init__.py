"""Guides: markdown career guides read into what the rest works on. Imports only `language`.

In: `corpus/*.md`. Out: each guide's sections, one per heading, with anchors and breadcrumbs
(`sections`); long sections cut into windows of whole sentences (`windows`); the order a guide gives
its sections (`roadmap`, with the career ladder it climbs); the pay it states (`facts`); the visitors'
questions whose answer the site owner confirmed (`confirmed`).
"""
