"""incident-mapper: news about armed incidents in, layered offline maps and GIS exports out.

>>> import mapper
>>> result = mapper.run(["examples/articles"])          # doctest: +SKIP
>>> result.incidents.head()                              # doctest: +SKIP
>>> result.map()                                         # doctest: +SKIP
>>> result.to_files("outputs/mine")                      # doctest: +SKIP
"""

from mapper.errors import InputError, MapperError
from mapper.pipeline import Extractor, Result, run

__all__ = ["Extractor", "InputError", "MapperError", "Result", "run"]
__version__ = "0.1.0"
