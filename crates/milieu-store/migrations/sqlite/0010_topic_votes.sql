-- Topic votes, one row per (topic request, organisation): a vote is one INSERT, and the primary
-- key makes a second vote of the same organisation a clean duplicate, whichever process casts
-- it. `position` keeps the order votes were cast in (ties broken by organisation id).
-- The votes move out of the topic request's JSON, which the store no longer reads them from.
CREATE TABLE topic_votes (
    topic_request_id TEXT NOT NULL REFERENCES topic_requests(id) DEFERRABLE INITIALLY DEFERRED,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    position INTEGER NOT NULL,
    PRIMARY KEY (topic_request_id, org_id)
);
CREATE INDEX topic_votes_org ON topic_votes(org_id);

INSERT OR IGNORE INTO topic_votes (topic_request_id, org_id, position)
SELECT t.id, v.value, v.key
FROM topic_requests t, json_each(t.data, '$.votes') v;

UPDATE topic_requests SET data = json_remove(data, '$.votes')
WHERE json_type(data, '$.votes') IS NOT NULL;
