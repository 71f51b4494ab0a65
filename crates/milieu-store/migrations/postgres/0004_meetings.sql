-- Brokerage-event meeting scheduling (milieu event requests|schedule|meetings).
-- Like the registry tables: typed key columns for lookups, the whole row as JSON in `data`.

-- Time slots of an event's meeting session, with the tables available in each.
CREATE TABLE meeting_slots (
    event_id TEXT NOT NULL REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
    slot_id TEXT NOT NULL,
    start TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (event_id, slot_id)
);

-- Participants of the meeting session with their availability, limit and role.
CREATE TABLE meeting_participants (
    event_id TEXT NOT NULL REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
    participant_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (event_id, participant_id)
);

-- Meeting requests: priority 1..3, status accepted|pending, must.
CREATE TABLE meeting_requests (
    event_id TEXT NOT NULL REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
    from_id TEXT NOT NULL,
    to_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (event_id, from_id, to_id)
);

-- The stored schedule: one row per meeting with its slot and table.
CREATE TABLE scheduled_meetings (
    event_id TEXT NOT NULL REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
    from_id TEXT NOT NULL,
    to_id TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (event_id, from_id, to_id)
);
CREATE INDEX scheduled_meetings_slot ON scheduled_meetings(event_id, slot_id);
