"""Build this process's default extractor on import: the forkserver preload of ``local_cluster``.

A ``LocalCluster``'s workers are forked from a server process that imported this module, so
each starts with the extractor built (once, in the server) instead of building its own, and
the workers share its memory while nobody writes to it. Not for import anywhere else.
"""

import gc

from mapper.scale import extractor_for

extractor_for(None)
gc.freeze()  # the collector would touch (and so copy) every shared object in each worker
