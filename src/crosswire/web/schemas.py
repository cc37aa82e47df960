"""The JSON API's response models: /openapi.json describes every field of every answer.

The story itself is the dossier's Story (crosswire.model, documented field by field in docs/dossier.md);
the rest are the list rows and page views. A story has one shape in the list and in the detail:
StoryRow, which StoryDetail extends with the whole story and its articles.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from crosswire.model import Removal, Span, Story


class OutletName(BaseModel):
    name: str = Field(description="the outlet as the articles name it (source, site name or host)")
    display: str = Field(description="the name to show: a known outlet code is spelled out (nyt -> The New York Times)")


class StoryRow(BaseModel):
    id: str
    title: str
    topic: str | None = Field(None, description="the topic cluster the story belongs to")
    size: int = Field(description="number of articles")
    first_date: str | None = Field(None, description="earliest publication date, YYYY-MM-DD")
    last_date: str | None = Field(None, description="latest publication date, YYYY-MM-DD")
    outlets: list[OutletName]
    articles: list[str] = Field(description="ids of the story's articles")
    score: float | None = Field(None, description="search relevance (bm25, higher is better); only with q")
    snippet: str | None = Field(None, description="the passage that matched the search; only with q")


class StoryList(BaseModel):
    total: int
    page: int
    pages: int
    per_page: int
    stories: list[StoryRow]


class ArticleBrief(BaseModel):
    id: str
    title: str | None
    source: str | None = Field(description="the outlet the input names")
    outlet: str = Field(description="the outlet label used everywhere (source, else site, else host)")
    outlet_display: str
    published: str | None
    url: str | None
    original: str | None = Field(description="a link to the original article (http or https URL), when known")
    file: str | None = Field(description="the input file's name")
    duplicate_of: str | None = Field(description="the id of the article this one is a near-copy of")


class StoryDetail(StoryRow):
    story: Story = Field(description="the whole story as in dossier.json (docs/dossier.md)")
    sources: list[ArticleBrief] = Field(description="the story's articles, in citation order ([n] is sources[n-1])")


class ArticleOut(BaseModel):
    id: str
    text: str = Field(description="the cleaned text; every span's offsets point into it")
    path: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None
    published_from: str | None = Field(None, description="metadata | user | null")
    author: str | None = None
    site_name: str | None = None
    format: str | None = Field(None, description="text | html | feed | jsonl | warc")
    removed: list[Removal] = Field(default_factory=list, description="what the cleaner removed, with why")
    duplicate_of: str | None = None


class StoryRef(BaseModel):
    id: str
    title: str


class MarkOut(BaseModel):
    start: int
    end: int
    kind: Literal["entity", "speaker", "quote", "claim"]
    label: str


class CopyRef(BaseModel):
    id: str
    title: str | None
    source: str | None
    published: str | None


class ArticleDetail(BaseModel):
    article: ArticleOut
    brief: ArticleBrief
    stories: list[StoryRef]
    marks: list[MarkOut]
    highlight: list[int] | None = Field(None, description="[start, end] of ?hl=, when it is a valid span")
    copies: list[CopyRef]
    original: ArticleBrief | None = Field(None, description="the article this one copies, when it is a copy")


class OutletCount(BaseModel):
    name: str
    display: str
    articles: int


class OutletItem(BaseModel):
    story: str
    story_title: str
    label: str
    importance: float = 0.0
    citations: list[Span] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list, description="for an omission: the outlets that report it")


class OutletWording(BaseModel):
    story: str
    story_title: str
    term: str | None
    others: list[str]
    group: str | None = None


class ArticleRef(BaseModel):
    id: str
    title: str | None
    published: str | None
    duplicate_of: str | None


class OutletDetail(BaseModel):
    name: str
    display: str
    note: str | None
    stories_total: int
    stories: list[StoryRow]
    articles: list[ArticleRef]
    articles_total: int
    alone: list[OutletItem] = Field(description="what only this outlet reports, most important first")
    omits: list[OutletItem] = Field(description="what most others report and it leaves out")
    wording: list[OutletWording]


class Rejected(BaseModel):
    path: str
    reason: str


class UploadJob(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    stage: str
    done: int
    total: int
    files: list[str]
    rejected: list[Rejected]
    message: str
    stories: list[str]
    finished: bool
    status_url: str | None = None
