-- The reporting schema: read-only views for the force's reporting tool (Crystal Reports or any
-- other). Their names and columns are a contract with the reports built on them: every column is
-- named here with AS, so renaming a model's field never renames a column of a view. Add columns at
-- the end; never rename or remove one without telling the report writers (docs/reporting.md).
-- Codes (status, rating, ...) are explained by reporting.labels.

CREATE VIEW reporting.suppliers AS
SELECT s.id AS supplier_id,
       s.name AS name,
       s.companies_house_number AS companies_house_number,
       s.vat_number AS vat_number,
       s.status AS status,
       s.created_at AS created_at,
       s.updated_at AS updated_at,
       s.ppon AS ppon,
       s.merged_into_id AS merged_into_supplier_id
  FROM suppliers_supplier s;

CREATE VIEW reporting.people AS
SELECT u.id AS person_id,
       u.username AS username,
       TRIM(u.first_name || ' ' || u.last_name) AS full_name,
       u.email AS email,
       u.job_title AS job_title,
       u.department AS department,
       u.is_budget_holder AS is_budget_holder,
       u.is_active AS is_active
  FROM accounts_user u;

CREATE VIEW reporting.contracts AS
SELECT c.id AS contract_id,
       c.reference AS reference,
       c.title AS title,
       c.description AS description,
       c.status AS status,
       c.nature AS nature,
       c.procurement_route AS procurement_route,
       c.regime AS regime,
       cat.name AS category,
       c.supplier_id AS supplier_id,
       s.name AS supplier_name,
       c.oco_id AS oco_person_id,
       c.sro_id AS sro_person_id,
       c.start_date AS start_date,
       c.end_date AS end_date,
       c.extended_end_date AS extended_end_date,
       c.notice_period_days AS notice_period_days,
       c.total_value AS total_value,
       c.annual_value AS annual_value,
       c.cost_centre AS cost_centre,
       c.finance_reference AS finance_reference,
       c.kraljic_quadrant AS kraljic_quadrant,
       c.created_at AS created_at,
       c.updated_at AS updated_at
  FROM contracts_contract c
  JOIN suppliers_supplier s ON s.id = c.supplier_id
  LEFT JOIN contracts_category cat ON cat.id = c.category_id;

CREATE VIEW reporting.assignments AS
SELECT a.id AS assignment_id,
       a.contract_id AS contract_id,
       a.user_id AS person_id,
       a.role AS role,
       a.started_at AS started_at,
       a.ended_at AS ended_at
  FROM contracts_contractassignment a;

CREATE VIEW reporting.kpis AS
SELECT k.id AS kpi_id,
       k.contract_id AS contract_id,
       k.name AS name,
       k.kind AS kind,
       k.unit AS unit,
       k.target AS target,
       k.direction AS direction,
       k.tolerance AS tolerance,
       k.inadequate_threshold AS inadequate_threshold,
       k.frequency AS frequency,
       k.start_date AS start_date,
       k.end_date AS end_date,
       k.is_published AS is_published,
       k.is_active AS is_active
  FROM performance_kpi k;

CREATE VIEW reporting.kpi_results AS
SELECT r.id AS result_id,
       r.kpi_id AS kpi_id,
       k.contract_id AS contract_id,
       r.period_start AS period_start,
       r.period_end AS period_end,
       r.actual AS actual,
       COALESCE(NULLIF(r.rating_override, ''), r.rating) AS rating,
       r.rating AS calculated_rating,
       NULLIF(r.rating_override, '') AS rating_override,
       r.recorded_by_id AS recorded_by_person_id,
       r.recorded_at AS recorded_at
  FROM performance_kpiresult r
  JOIN performance_kpi k ON k.id = r.kpi_id;

CREATE VIEW reporting.mi_reports AS
SELECT m.id AS mi_report_id,
       m.contract_id AS contract_id,
       m.period_label AS period_label,
       m.period_start AS period_start,
       m.period_end AS period_end,
       m.expected_by AS expected_by,
       m.received_on AS received_on,
       m.recorded_at AS recorded_at
  FROM performance_mireport m;

CREATE VIEW reporting.escalations AS
SELECT e.id AS escalation_id,
       e.contract_id AS contract_id,
       e.source AS source,
       e.severity AS severity,
       e.status AS status,
       e.title AS title,
       e.raised_on AS raised_on,
       e.respond_by AS respond_by,
       e.answered_on AS answered_on,
       e.raised_by_id AS raised_by_person_id,
       e.owner_id AS owner_person_id
  FROM contracts_escalation e;

CREATE VIEW reporting.meetings AS
SELECT m.id AS meeting_id,
       m.contract_id AS contract_id,
       m.kind AS kind,
       m.status AS status,
       m.starts_at AS starts_at,
       m.duration_minutes AS duration_minutes,
       m.location AS location,
       m.arranged_on AS arranged_on,
       m.due_on AS due_on
  FROM meetings_meeting m;

CREATE VIEW reporting.kraljic_assessments AS
SELECT a.id AS assessment_id,
       a.contract_id AS contract_id,
       a.profit_impact AS profit_impact,
       a.supply_risk AS supply_risk,
       a.quadrant AS quadrant,
       a.assessed_on AS assessed_on
  FROM contracts_kraljicassessment a;

CREATE VIEW reporting.invoice_payments AS
SELECT i.id AS invoice_id,
       i.invoice_number AS invoice_number,
       i.supplier_id AS supplier_id,
       i.contract_id AS contract_id,
       i.order_reference AS order_reference,
       i.received_on AS received_on,
       i.valid_from AS valid_from,
       i.paid_on AS paid_on,
       i.amount AS amount_including_vat,
       i.disputed AS disputed,
       i.dispute_resolved_on AS dispute_resolved_on,
       CASE WHEN i.paid_on IS NULL OR (i.disputed AND i.dispute_resolved_on IS NULL) THEN NULL
            ELSE GREATEST(i.paid_on - GREATEST(i.received_on, i.valid_from,
                                               CASE WHEN i.disputed THEN i.dispute_resolved_on END), 0)
       END AS days_to_pay
  FROM exchange_invoice i;
