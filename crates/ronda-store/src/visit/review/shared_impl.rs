//! The [`VisitReviewStore`](super::VisitReviewStore) implementation shared by both
//! backends, stamped out per pool type like the main store.

macro_rules! impl_visit_review_store {
    ($store:ty, $database:ty) => {
        #[async_trait::async_trait]
        impl $crate::visit::review::VisitReviewStore for $store {
            async fn visits(
                &self,
                org: ronda_domain::OrganizationId,
                query: &$crate::visit::review::VisitQuery,
            ) -> $crate::StoreResult<Vec<$crate::visit::review::VisitSummary>> {
                let rows: Vec<$crate::visit::review::rows::SummaryRow> =
                    sqlx::query_as($crate::visit::review::sql::SELECT_VISITS)
                        .bind(org.0)
                        .bind(query.finished_from.map(|at| at.as_millisecond()))
                        .bind(query.finished_before.map(|at| at.as_millisecond()))
                        .bind(query.agent_id.map(|agent| agent.0))
                        .bind(query.lender_id)
                        .bind(query.portfolio_id)
                        .bind(&query.result_code)
                        .bind(&query.verdict)
                        .bind(query.after.map(|(at, _)| at.as_millisecond()))
                        .bind(query.after.map(|(_, id)| id))
                        .bind(i64::from(query.limit))
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn visit_record(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::visit::review::VisitRecord>> {
                let row: Option<$crate::visit::review::rows::RecordRow> =
                    sqlx::query_as($crate::visit::review::sql::SELECT_VISIT_RECORD)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn visit_attachments(
                &self,
                org: ronda_domain::OrganizationId,
                visit: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::visit::review::VisitAttachment>> {
                let rows: Vec<$crate::visit::review::rows::VisitAttachmentRow> =
                    sqlx::query_as($crate::visit::review::sql::SELECT_VISIT_ATTACHMENTS)
                        .bind(org.0)
                        .bind(visit)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn visit_attachment(
                &self,
                org: ronda_domain::OrganizationId,
                visit: uuid::Uuid,
                sha256: &str,
            ) -> $crate::StoreResult<Option<$crate::visit::Attachment>> {
                let row: Option<(String, String, Vec<u8>)> =
                    sqlx::query_as($crate::visit::review::sql::SELECT_VISIT_ATTACHMENT)
                        .bind(org.0)
                        .bind(visit)
                        .bind(sha256)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(
                    |(sha256, content_type, content)| $crate::visit::Attachment {
                        sha256,
                        content_type,
                        content,
                    },
                ))
            }

            async fn visit_events(
                &self,
                org: ronda_domain::OrganizationId,
                visit: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::visit::Event>> {
                let rows: Vec<$crate::visit::rows::EventRow> =
                    sqlx::query_as($crate::visit::review::sql::SELECT_VISIT_EVENTS)
                        .bind(org.0)
                        .bind(visit)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn visit_audit(
                &self,
                org: ronda_domain::OrganizationId,
                visit: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::AuditEntry>> {
                let rows: Vec<$crate::rows::AuditRow> =
                    sqlx::query_as($crate::visit::review::sql::SELECT_VISIT_AUDIT)
                        .bind(org.0)
                        .bind(visit.to_string())
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn decide_pin_correction(
                &self,
                org: ronda_domain::OrganizationId,
                visit: uuid::Uuid,
                verdict: $crate::visit::review::PinVerdict,
                note: Option<&str>,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::visit::review::PinDecisionOutcome> {
                use $crate::visit::review::rows::{PinDecisionRow, PinProposalRow};
                use $crate::visit::review::{PinDecisionOutcome, PinVerdict, sql};

                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let proposal: Option<PinProposalRow> = sqlx::query_as(sql::SELECT_PIN_PROPOSAL)
                    .bind(org.0)
                    .bind(visit)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(proposal) = proposal else {
                    tx.rollback().await?;
                    return Ok(PinDecisionOutcome::NotFound);
                };
                let Some(point) = proposal.point() else {
                    tx.rollback().await?;
                    return Ok(PinDecisionOutcome::NoProposal);
                };

                let decision = match verdict {
                    PinVerdict::Approve => "approved",
                    PinVerdict::Reject => "rejected",
                };
                // The primary key on the visit lets exactly one of two racing decisions
                // insert its row; the other finds the stored one below.
                let inserted = sqlx::query(sql::INSERT_PIN_DECISION)
                    .bind(visit)
                    .bind(org.0)
                    .bind(decision)
                    .bind(note)
                    .bind(audit.actor.kind())
                    .bind(audit.actor.id())
                    .bind(audit.at.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if inserted == 1 && verdict == PinVerdict::Approve {
                    sqlx::query(sql::VERIFY_ADDRESS_POINT)
                        .bind(org.0)
                        .bind(proposal.address_id)
                        .bind(point.0)
                        .bind(point.1)
                        .bind(false)
                        .execute(&mut *tx)
                        .await?;
                }
                if inserted == 1 {
                    insert_audit(&mut tx, audit).await?;
                }
                let stored: PinDecisionRow = sqlx::query_as(sql::SELECT_PIN_DECISION)
                    .bind(org.0)
                    .bind(visit)
                    .fetch_one(&mut *tx)
                    .await?;
                let correction = stored.into_correction(point)?;
                tx.commit().await?;
                Ok(if inserted == 1 {
                    PinDecisionOutcome::Decided(correction)
                } else {
                    PinDecisionOutcome::AlreadyDecided(correction)
                })
            }
        }
    };
}

pub(crate) use impl_visit_review_store;
