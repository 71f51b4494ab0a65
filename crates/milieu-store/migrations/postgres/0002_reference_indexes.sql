-- Every referencing column gets an index: lookups by reference, and SQLite's deferred
-- foreign-key checks, which search the referencing side when a referenced row arrives.
CREATE INDEX organisations_parent ON organisations(parent_id);
CREATE INDEX initiatives_cluster ON initiatives(cluster_id);
CREATE INDEX memberships_initiative ON memberships(initiative_id);
CREATE INDEX events_initiative ON events(initiative_id);
CREATE INDEX attendance_person ON attendance(person_id);
CREATE INDEX topic_requests_org ON topic_requests(org_id);
CREATE INDEX introductions_from ON introductions(from_id);
CREATE INDEX introductions_to ON introductions(to_id);
