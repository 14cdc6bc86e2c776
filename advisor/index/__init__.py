"""Index: the guides embedded and indexed into one versioned folder, and that folder read back.

In: guides (`advisor.guides`) and an embedding model (`embed`). Out: `index/<version>/` with the
manifest (`format`), the texts each vector and BM25 document is made of (`texts`), the dense index
(`ann`), the model exported to ONNX (`export`) that serving runs without torch (`onnx`); `build` writes
it atomically, `load` reads and verifies it and says whether it is stale.
Build time: it imports nothing from `search`, `answer` or `web`.
"""
