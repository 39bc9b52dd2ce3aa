"""Documents kept in the document store, and what the database knows of each: size, type, name, who sent it.

One row per distinct content (its SHA-256 digest); the bytes themselves are in the store. An evidence row
names a document by `evidence_item.document_digest`; rows written before documents were kept name none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from capeval.states.uploads import StoredFile

from .cases import EvidenceItem, StageHistory
from .types import AwareDateTime


class Document(SQLModel, table=True):
    """A document by its digest: the first upload's file name and sender are kept."""

    __tablename__ = "document"

    digest: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=sa.BigInteger)
    media_type: str = Field(max_length=100)
    original_filename: str = Field(max_length=255)
    uploaded_at: datetime = Field(sa_type=AwareDateTime)
    uploaded_by: int | None = Field(default=None, foreign_key="person.id")


class DocumentRepository:
    """The document rows and the evidence that names them. Never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, digest: str) -> Document | None:
        return self.session.get(Document, digest)

    def record(self, stored: StoredFile, uploaded_by: int | None, at: datetime) -> Document:
        """The row of `stored`, added unless a row for its digest exists (equal content is one document).

        A new row is sent at once, so the evidence naming it may follow in the same transaction."""
        row = self.get(stored.digest)
        if row is None:
            row = Document(
                digest=stored.digest,
                size=stored.size,
                media_type=stored.media_type.value,
                original_filename=stored.filename,
                uploaded_at=at,
                uploaded_by=uploaded_by,
            )
            self.session.add(row)
            self.session.flush()
        return row

    def referenced_among(self, digests: Sequence[str]) -> set[str]:
        """Those of `digests` that a document row or an evidence row names."""
        if not digests:
            return set()
        documents = select(Document.digest).where(col(Document.digest).in_(digests))
        evidence = select(EvidenceItem.document_digest).where(col(EvidenceItem.document_digest).in_(digests))
        named = set(self.session.exec(documents).all()) | set(self.session.exec(evidence).all())
        return {digest for digest in named if digest is not None}

    def evidence_of_case(self, case_id: int) -> Sequence[tuple[EvidenceItem, Document | None]]:
        """Every evidence row of the case in the order added, with its document (None: no file kept)."""
        query = (
            select(EvidenceItem, Document)
            .join(Document, col(Document.digest) == col(EvidenceItem.document_digest), isouter=True)
            .where(EvidenceItem.application_id == case_id)
            .order_by(col(EvidenceItem.id))
        )
        return [(evidence, document) for evidence, document in self.session.exec(query).all()]

    def attached(self, case_id: int, digest: str) -> tuple[EvidenceItem, Document] | None:
        """The first evidence row of the case naming the document `digest`, with it; None when none does."""
        query = (
            select(EvidenceItem, Document)
            .join(Document, col(Document.digest) == col(EvidenceItem.document_digest))
            .where(EvidenceItem.application_id == case_id, EvidenceItem.document_digest == digest)
            .order_by(col(EvidenceItem.id))
        )
        row = self.session.exec(query).first()
        return (row[0], row[1]) if row else None

    def stages_reached(self, case_id: int) -> set[str]:
        """Every stage the case has been in (from its history), for the reading check."""
        query = select(StageHistory.to_stage).where(StageHistory.application_id == case_id).distinct()
        return set(self.session.exec(query).all())

    def appealed(self, case_id: int) -> bool:
        """Whether any appeal names the case."""
        from .governance import Appeal

        query = select(Appeal.id).where(Appeal.application_id == case_id).limit(1)
        return self.session.exec(query).first() is not None
