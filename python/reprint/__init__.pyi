# Type hints of the reprint package (see __init__.py for the documentation).
import os
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Literal, NamedTuple, Optional,
                    Tuple, Union, overload)

__version__: str

class Error(Exception): ...
class BadInput(Error, ValueError): ...
class UsageError(Error, ValueError): ...
class InputWarning(UserWarning): ...

class Pair(NamedTuple):
    a: str
    b: str
    relation: str
    jaccard: float
    containment_a: float
    containment_b: float
    passages: int
    coverage_a: float
    coverage_b: float
    why: str
    similarity: float
    differences: int
    event: float
    specifics: float

class Passage(NamedTuple):
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float
    text_a: str
    text_b: str

class Furniture(NamedTuple):
    id: str
    start: int
    end: int
    why: str
    text: str

class Placement(NamedTuple):
    id: str
    relation: str
    closest: Optional[str]
    cluster: int
    story: int
    new_cluster: bool
    new_story: bool

class Progress(NamedTuple):
    phase: str
    unit: str
    done: int
    total: int
    ndocs: int
    elapsed: float
    eta: float

Path = Union[str, bytes, os.PathLike]
Document = Union[Dict[str, Any], Tuple[Any, Any]]
Documents = Union[Path, Iterable[Path], Iterable[Document]]
SkipBad = Union[bool, List[str], Callable[[str], Any]]

class Result:
    skipped: List[str]
    @property
    def pairs(self) -> List[Pair]: ...
    @property
    def clusters(self) -> List[Dict[str, Any]]: ...
    @property
    def stories(self) -> List[Dict[str, Any]]: ...
    @property
    def timelines(self) -> List[Dict[str, Any]]: ...
    @property
    def passages(self) -> List[Dict[str, Any]]: ...
    @property
    def differences(self) -> List[Dict[str, Any]]: ...
    @property
    def removed(self) -> List[Dict[str, Any]]: ...
    @property
    def furniture(self) -> List[Furniture]: ...
    @property
    def ids(self) -> List[str]: ...
    @property
    def ndocs(self) -> int: ...
    @property
    def nskipped(self) -> int: ...
    def text(self, doc: Union[str, int]) -> str: ...
    def write(self, kind: str, path: Optional[Path] = ...) -> Optional[str]: ...
    def to_pandas(self) -> Any: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Pair]: ...

def scan(docs: Documents, *, progress: Optional[Callable[[Progress], Any]] = ...,
         threshold: float = ..., ngram: int = ..., perm: int = ..., threads: int = ...,
         keep: Literal["longest", "first", "earliest"] = ..., sketch: Literal["oph", "kperm"] = ...,
         fast: bool = ..., keep_furniture: bool = ..., all_pairs: bool = ...,
         memory: Union[int, str] = ..., max_bytes: Union[int, str] = ..., id_field: str = ...,
         text_field: str = ..., jsonl: bool = ..., skip_bad: SkipBad = ...,
         clusters: Optional[Path] = ..., stories: Optional[Path] = ...,
         passages: Optional[Path] = ..., differences: Optional[Path] = ...,
         timeline: Optional[Path] = ..., html: Optional[Path] = ...) -> Result: ...

def dedup(docs: Documents, *, keep: Literal["longest", "first", "earliest"] = ...,
          removed: Union[None, List[Dict[str, Any]], Callable[[Dict[str, Any]], Any], Path] = ...,
          progress: Optional[Callable[[Progress], Any]] = ..., threshold: float = ...,
          ngram: int = ..., perm: int = ..., threads: int = ..., sketch: Literal["oph", "kperm"] = ...,
          memory: Union[int, str] = ..., max_bytes: Union[int, str] = ..., id_field: str = ...,
          text_field: str = ..., jsonl: bool = ..., skip_bad: SkipBad = ...,
          clusters: Optional[Path] = ...) -> Iterator[Any]: ...

def align(text_a: str, text_b: str, *, ngram: int = ..., keep_furniture: bool = ...,
          max_bytes: Union[int, str] = ...) -> List[Passage]: ...

class Index:
    path: str
    def __init__(self, path: Path, *, create: Optional[bool] = ..., readonly: bool = ...,
                 threshold: float = ..., ngram: int = ..., perm: int = ...,
                 sketch: Literal["oph", "kperm"] = ..., keep_furniture: bool = ...,
                 threads: int = ..., memory: Union[int, str] = ..., max_bytes: Union[int, str] = ...,
                 id_field: str = ..., text_field: str = ..., skip_bad: SkipBad = ...) -> None: ...
    def __enter__(self) -> "Index": ...
    def __exit__(self, *exc: Any) -> None: ...
    def close(self) -> None: ...
    def add(self, docs: Documents, *, replace: bool = ...) -> List[Placement]: ...
    @overload
    def query(self, docs: Document) -> Placement: ...
    @overload
    def query(self, docs: Documents) -> List[Placement]: ...
    def stats(self) -> Dict[str, Any]: ...
    def get(self, doc: Union[str, int]) -> Optional[Dict[str, Any]]: ...
    def related(self, doc: Union[str, int]) -> List[Dict[str, Any]]: ...
    def cluster(self, number: int) -> List[str]: ...
    def story(self, number: int) -> List[str]: ...
    def timeline(self, story: int) -> List[Dict[str, Any]]: ...
    def export(self) -> Result: ...
