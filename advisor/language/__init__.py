"""Language: how English is read, as data and small tools. The first stage; it imports no other.

In: text. Out: terms for BM25 and matching (`terms`), the lexicon of word lists and phrase patterns
(`lexicon`), misspellings corrected against the guides' own words (`spelling`), and the acronym and
synonym table of a corpus (`synonyms`).
"""
