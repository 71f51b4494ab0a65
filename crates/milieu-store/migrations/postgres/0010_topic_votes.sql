-- Topic votes, one row per (topic request, organisation): a vote is one INSERT, and the primary
-- key makes a second vote of the same organisation a clean duplicate, whichever process casts
-- it. `position` keeps the order votes were cast in (ties broken by organisation id).
-- The votes move out of the topic request's JSON, which the store no longer reads them from.
CREATE TABLE topic_votes (
    topic_request_id TEXT NOT NULL REFERENCES topic_requests(id) DEFERRABLE INITIALLY DEFERRED,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    position BIGINT NOT NULL,
    PRIMARY KEY (topic_request_id, org_id)
);
CREATE INDEX topic_votes_org ON topic_votes(org_id);

INSERT INTO topic_votes (topic_request_id, org_id, position)
SELECT t.id, v.value, v.ordinality - 1
FROM topic_requests t,
     jsonb_array_elements_text(CASE WHEN jsonb_typeof(t.data::jsonb -> 'votes') = 'array'
         THEN t.data::jsonb -> 'votes' ELSE '[]'::jsonb END) WITH ORDINALITY AS v(value, ordinality)
ON CONFLICT DO NOTHING;

UPDATE topic_requests SET data = (data::jsonb - 'votes')::text
WHERE data::jsonb -> 'votes' IS NOT NULL;
