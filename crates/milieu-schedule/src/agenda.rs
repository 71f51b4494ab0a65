//! `milieu schedule agendas`: one HTML agenda and one iCalendar file per participant, a table
//! plan per slot and organiser statistics, returned as `(relative path, contents)` pairs for the
//! caller to write. Everything shown in HTML is escaped; iCalendar text follows RFC 5545
//! (escaped TEXT values, CRLF line ends, lines folded at 75 octets without splitting a
//! character, UID/DTSTAMP/DTSTART/DTEND on every event, floating local times as in the event
//! file).

use crate::error::{Error, InputProblem};
use crate::model::{Problem, Role};
use crate::schedule::ScheduleInput;
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// Options of `milieu schedule agendas`.
#[derive(Debug, Clone, Default)]
pub struct AgendaOptions {
    /// Title shown on every page; defaults to the event's `name`, else "Brokerage event".
    pub title: Option<String>,
    /// DTSTAMP of the calendar entries (UTC), normally the time of generation. Defaults to the
    /// start of the first slot so that output is reproducible.
    pub generated_at: Option<NaiveDateTime>,
    /// Id of the stored event the schedule belongs to. Calendar UIDs derive from it
    /// ([`meeting_uid`]), so the agendas written here and the web's agenda download name a
    /// meeting alike; without one (an event file) they derive from the event's name and first
    /// slot.
    pub event_id: Option<String>,
}

/// A scheduled meeting resolved to indices.
struct Resolved {
    from: usize,
    to: usize,
    slot: usize,
    table: u32,
}

/// Escape text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escape an iCalendar TEXT value (RFC 5545 section 3.3.11).
pub fn ics_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Fold one content line at 75 octets (RFC 5545 section 3.1) and end it with CRLF. Folds never
/// split a UTF-8 character.
pub fn ics_fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let w = c.len_utf8();
        // The first line holds 75 octets; continuation lines start with a space, so 74 more.
        if width + w > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += w;
    }
    out.push_str("\r\n");
    out
}

/// FNV-1a hash (stable across runs and platforms) for calendar UIDs.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn ics_time(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// The UID of the meeting of participants `a` and `b` at the event `event` (in either order).
/// A pair meets at most once per event, so event + pair identify the meeting: every copy of it
/// (both participants' calendars, the command line's files, the web's download) has one UID,
/// so importing several adds no duplicate, and a re-planned meeting updates its entry.
pub fn meeting_uid(event: &str, a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    ics_escape(&format!("{event}-{x}-{y}@milieu"))
}

/// One meeting in a participant's calendar.
#[derive(Debug, Clone)]
pub struct CalendarEntry {
    /// From [`meeting_uid`].
    pub uid: String,
    /// Local (floating) times: the event's wall clock.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub summary: String,
    pub location: String,
    pub description: String,
}

/// A participant's calendar as an iCalendar file (RFC 5545): CRLF lines folded at 75 octets,
/// escaped text, one VEVENT per entry with UID, DTSTAMP (`stamp`, UTC), DTSTART and DTEND in
/// local time. The one writer of milieu's .ics files (the command line's agendas and the web's
/// download).
pub fn calendar(name: &str, stamp: NaiveDateTime, entries: &[CalendarEntry]) -> String {
    let mut ics = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//milieu//milieu-schedule//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", ics_escape(name)),
    ] {
        ics.push_str(&ics_fold(&line));
    }
    for e in entries {
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", e.uid),
            format!("DTSTAMP:{}Z", ics_time(stamp)),
            format!("DTSTART:{}", ics_time(e.start)),
            format!("DTEND:{}", ics_time(e.end)),
            format!("SUMMARY:{}", ics_escape(&e.summary)),
            format!("LOCATION:{}", ics_escape(&e.location)),
            format!("DESCRIPTION:{}", ics_escape(&e.description)),
            "TRANSP:OPAQUE".to_string(),
            "END:VEVENT".to_string(),
        ] {
            ics.push_str(&ics_fold(&line));
        }
    }
    ics.push_str(&ics_fold("END:VCALENDAR"));
    ics
}

/// A file name made of the id's safe characters, unique within `taken`.
fn file_stem(id: &str, taken: &mut HashSet<String>) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        stem.push('_');
    }
    let base = stem.clone();
    let mut k = 2;
    while !taken.insert(stem.to_lowercase()) {
        stem = format!("{base}-{k}");
        k += 1;
    }
    stem
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Buyer => "buyer",
        Role::Supplier => "supplier",
        Role::Any => "",
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}\
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.35rem .6rem;text-align:left;vertical-align:top}\
th{background:#f3f3f3}.free{color:#888}.away{color:#bbb}.bar{background:#4a7bd0;height:.9rem}\
small{color:#666}@media print{a{color:inherit;text-decoration:none}}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        html_escape(title)
    )
}

/// Render every agenda file for a (checked) schedule.
pub fn agendas(
    problem: &Problem,
    schedule: &ScheduleInput,
    opts: &AgendaOptions,
) -> Result<Vec<(String, String)>, Error> {
    // Resolve ids; unknown ones are input errors (run `schedule check` for the full rules).
    let mut problems = Vec::new();
    let mut meetings = Vec::with_capacity(schedule.meetings.len());
    for (i, m) in schedule.meetings.iter().enumerate() {
        let mut find = |id: &str, field: &str, slot: bool| {
            let found = if slot {
                problem.slot(id)
            } else {
                problem.participant(id)
            };
            if found.is_none() {
                problems.push(InputProblem {
                    code: if slot {
                        "unknown_slot"
                    } else {
                        "unknown_participant"
                    },
                    path: format!("meetings[{i}].{field}"),
                    value: format!("{id:?}"),
                    expected: format!(
                        "the id of a {} in the event",
                        if slot { "slot" } else { "participant" }
                    ),
                });
            }
            found
        };
        let from = find(&m.from, "from", false);
        let to = find(&m.to, "to", false);
        let slot = find(&m.slot, "slot", true);
        if let (Some(from), Some(to), Some(slot)) = (from, to, slot) {
            meetings.push(Resolved {
                from,
                to,
                slot,
                table: m.table,
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid {
            file: "schedule".to_string(),
            problems,
        });
    }

    let title = opts
        .title
        .clone()
        .or_else(|| problem.name.clone())
        .unwrap_or_else(|| "Brokerage event".to_string());
    let order = problem.slots_in_time_order();
    let stamp = opts
        .generated_at
        .or_else(|| order.first().map(|&s| problem.slots[s].start))
        .unwrap_or_default();
    let event_key = match &opts.event_id {
        Some(id) => id.clone(),
        None => format!(
            "{:016x}",
            fnv1a(&format!(
                "{}|{}",
                problem.name.as_deref().unwrap_or(""),
                order
                    .first()
                    .map(|&s| problem.slots[s].start.to_string())
                    .unwrap_or_default()
            ))
        ),
    };
    let mut taken = HashSet::new();
    let person_file: Vec<String> = problem
        .participants
        .iter()
        .map(|p| file_stem(&p.id, &mut taken))
        .collect();
    let mut taken_slots = HashSet::new();
    let slot_file: Vec<String> = problem
        .slots
        .iter()
        .map(|s| file_stem(&s.id, &mut taken_slots))
        .collect();
    let mut by_person: Vec<Vec<usize>> = vec![Vec::new(); problem.participants.len()];
    let mut by_slot: Vec<Vec<usize>> = vec![Vec::new(); problem.slots.len()];
    for (k, m) in meetings.iter().enumerate() {
        by_person[m.from].push(k);
        by_person[m.to].push(k);
        by_slot[m.slot].push(k);
    }
    let mut unscheduled_of: HashMap<usize, Vec<(usize, &str)>> = HashMap::new();
    for u in &schedule.unscheduled {
        if let (Some(a), Some(b)) = (problem.participant(&u.from), problem.participant(&u.to)) {
            unscheduled_of.entry(a).or_default().push((b, &u.reason));
            unscheduled_of.entry(b).or_default().push((a, &u.reason));
        }
    }
    let who = |p: usize| {
        let q = &problem.participants[p];
        let mut s = html_escape(q.display_name());
        if let Some(org) = &q.org {
            let _ = write!(s, " <small>({})</small>", html_escape(org));
        }
        let role = role_name(q.role);
        if !role.is_empty() {
            let _ = write!(s, " <small>{role}</small>");
        }
        s
    };
    let time_range = |s: usize| {
        let slot = &problem.slots[s];
        format!(
            "{}&ndash;{}",
            slot.start.format("%a %d %b %H:%M"),
            slot.end().format("%H:%M")
        )
    };

    let mut files = Vec::new();

    // Per participant: HTML agenda and iCalendar.
    for (p, q) in problem.participants.iter().enumerate() {
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<h1>{}</h1>\n<h2>Agenda of {}</h2>",
            html_escape(&title),
            who(p)
        );
        let _ = writeln!(
            body,
            "<p>{} meeting(s). <a href=\"{}.ics\">Add to calendar (.ics)</a></p>",
            by_person[p].len(),
            html_escape(&person_file[p])
        );
        body.push_str("<table>\n<tr><th>Time</th><th>Table</th><th>Meeting with</th></tr>\n");
        let mut at_slot: HashMap<usize, usize> = HashMap::new();
        for &k in &by_person[p] {
            at_slot.insert(meetings[k].slot, k);
        }
        for &s in &order {
            match at_slot.get(&s) {
                Some(&k) => {
                    let m = &meetings[k];
                    let other = if m.from == p { m.to } else { m.from };
                    let _ = writeln!(
                        body,
                        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                        time_range(s),
                        m.table,
                        who(other)
                    );
                }
                None if q.available[s] => {
                    let _ = writeln!(
                        body,
                        "<tr class=\"free\"><td>{}</td><td></td><td>free</td></tr>",
                        time_range(s)
                    );
                }
                None => {
                    let _ = writeln!(
                        body,
                        "<tr class=\"away\"><td>{}</td><td></td><td>not available</td></tr>",
                        time_range(s)
                    );
                }
            }
        }
        body.push_str("</table>\n");
        if let Some(list) = unscheduled_of.get(&p) {
            body.push_str(
                "<h2>Requests not scheduled</h2>\n<table>\n<tr><th>With</th><th>Why</th></tr>\n",
            );
            for &(other, reason) in list {
                let _ = writeln!(
                    body,
                    "<tr><td>{}</td><td>{}</td></tr>",
                    who(other),
                    html_escape(reason)
                );
            }
            body.push_str("</table>\n");
        }
        files.push((
            format!("participants/{}.html", person_file[p]),
            page(&format!("{} - {}", title, q.display_name()), &body),
        ));

        let mut mine: Vec<usize> = by_person[p].clone();
        mine.sort_by_key(|&k| (problem.slots[meetings[k].slot].start, meetings[k].slot));
        let entries: Vec<CalendarEntry> = mine
            .into_iter()
            .map(|k| {
                let m = &meetings[k];
                let other = if m.from == p { m.to } else { m.from };
                let o = &problem.participants[other];
                let slot = &problem.slots[m.slot];
                let mut summary = format!("Meeting with {}", o.display_name());
                if let Some(org) = &o.org {
                    let _ = write!(summary, " ({org})");
                }
                CalendarEntry {
                    uid: meeting_uid(&event_key, &q.id, &o.id),
                    start: slot.start,
                    end: slot.end(),
                    summary,
                    location: format!("Table {}", m.table),
                    description: format!(
                        "{}: 1:1 meeting of {} and {} at table {} in slot {}.",
                        title,
                        q.display_name(),
                        o.display_name(),
                        m.table,
                        slot.id
                    ),
                }
            })
            .collect();
        let ics = calendar(
            &format!("{} - {}", title, q.display_name()),
            stamp,
            &entries,
        );
        files.push((format!("participants/{}.ics", person_file[p]), ics));
    }

    // Table plan per slot.
    for &s in &order {
        let slot = &problem.slots[s];
        let mut list: Vec<usize> = by_slot[s].clone();
        list.sort_by_key(|&k| meetings[k].table);
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<h1>{}</h1>\n<h2>Table plan, slot {} ({})</h2>\n<p>{} of {} tables in use.</p>",
            html_escape(&title),
            html_escape(&slot.id),
            time_range(s),
            list.len(),
            problem.tables
        );
        body.push_str("<table>\n<tr><th>Table</th><th>Participant</th><th>Participant</th></tr>\n");
        for k in list {
            let m = &meetings[k];
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td><a href=\"../participants/{}.html\">{}</a></td>\
                 <td><a href=\"../participants/{}.html\">{}</a></td></tr>",
                m.table,
                html_escape(&person_file[m.from]),
                who(m.from),
                html_escape(&person_file[m.to]),
                who(m.to)
            );
        }
        body.push_str("</table>\n");
        files.push((
            format!("slots/{}.html", slot_file[s]),
            page(&format!("{} - tables {}", title, slot.id), &body),
        ));
    }

    files.push((
        "index.html".to_string(),
        organiser_page(
            problem,
            schedule,
            &meetings,
            &order,
            &person_file,
            &slot_file,
            &title,
        ),
    ));
    Ok(files)
}

/// Organiser statistics computed from the meetings themselves (valid for any schedule).
fn organiser_page(
    problem: &Problem,
    schedule: &ScheduleInput,
    meetings: &[Resolved],
    order: &[usize],
    person_file: &[String],
    slot_file: &[String],
    title: &str,
) -> String {
    let n = problem.participants.len();
    let mut count = vec![0usize; n];
    let mut load = vec![0usize; problem.slots.len()];
    for m in meetings {
        count[m.from] += 1;
        count[m.to] += 1;
        load[m.slot] += 1;
    }
    let mut requested: HashSet<usize> = HashSet::new();
    let mut must_pairs: HashSet<(usize, usize)> = HashSet::new();
    let mut prio: HashMap<(usize, usize), u32> = HashMap::new();
    for r in &problem.requests {
        if r.status == crate::model::RequestStatus::Accepted {
            requested.insert(r.from);
        }
        let key = (r.from.min(r.to), r.from.max(r.to));
        if r.must {
            must_pairs.insert(key);
        }
        let e = prio.entry(key).or_insert(0);
        *e = (*e).max(r.priority);
    }
    let met: HashSet<(usize, usize)> = meetings
        .iter()
        .map(|m| (m.from.min(m.to), m.from.max(m.to)))
        .collect();
    let prio_sum: u32 = met.iter().filter_map(|k| prio.get(k)).sum();
    let musts_met = must_pairs.iter().filter(|k| met.contains(k)).count();
    let with_meetings = count.iter().filter(|c| **c > 0).count();
    let requesters_without = requested.iter().filter(|&&p| count[p] == 0).count();
    let capacity = problem.tables as usize * problem.slots.len();
    let mut hist: BTreeMap<usize, usize> = BTreeMap::new();
    for &c in &count {
        *hist.entry(c).or_insert(0) += 1;
    }
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for u in &schedule.unscheduled {
        let code = if u.code.is_empty() {
            "unspecified"
        } else {
            u.code.as_str()
        };
        *reasons.entry(code).or_insert(0) += 1;
    }

    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>{}</h1>\n<h2>Organiser statistics</h2>\n<table>",
        html_escape(title)
    );
    let rows: Vec<(&str, String)> = vec![
        ("Participants", n.to_string()),
        (
            "Participants with at least one meeting",
            with_meetings.to_string(),
        ),
        (
            "Participants who sent an accepted request but have no meeting",
            requesters_without.to_string(),
        ),
        ("Meetings", meetings.len().to_string()),
        (
            "Table use",
            format!(
                "{} of {} table-slots ({:.1}%)",
                meetings.len(),
                capacity,
                if capacity > 0 {
                    100.0 * meetings.len() as f64 / capacity as f64
                } else {
                    0.0
                }
            ),
        ),
        (
            "Must meetings held",
            format!("{} of {}", musts_met, must_pairs.len()),
        ),
        ("Sum of priorities of held meetings", prio_sum.to_string()),
        (
            "Requests not scheduled",
            schedule.unscheduled.len().to_string(),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(b, "<tr><th>{}</th><td>{}</td></tr>", html_escape(k), v);
    }
    b.push_str("</table>\n<h2>Meetings per slot</h2>\n<table>\n<tr><th>Slot</th><th>Time</th><th>Meetings</th><th></th></tr>\n");
    for &s in order {
        let slot = &problem.slots[s];
        let pct = if problem.tables > 0 {
            100.0 * load[s] as f64 / f64::from(problem.tables)
        } else {
            0.0
        };
        let _ = writeln!(
            b,
            "<tr><td><a href=\"slots/{}.html\">{}</a></td><td>{}</td><td>{} / {}</td>\
             <td style=\"width:40%\"><div class=\"bar\" style=\"width:{:.0}%\"></div></td></tr>",
            html_escape(&slot_file[s]),
            html_escape(&slot.id),
            slot.start.format("%a %d %b %H:%M"),
            load[s],
            problem.tables,
            pct.min(100.0)
        );
    }
    b.push_str("</table>\n<h2>Meetings per participant</h2>\n<table>\n<tr><th>Meetings</th><th>Participants</th></tr>\n");
    for (c, k) in &hist {
        let _ = writeln!(b, "<tr><td>{c}</td><td>{k}</td></tr>");
    }
    b.push_str("</table>\n");
    if !reasons.is_empty() {
        b.push_str("<h2>Why requests were not scheduled</h2>\n<table>\n<tr><th>Reason</th><th>Requests</th></tr>\n");
        for (r, k) in &reasons {
            let _ = writeln!(b, "<tr><td>{}</td><td>{k}</td></tr>", html_escape(r));
        }
        b.push_str("</table>\n");
    }
    b.push_str("<h2>Participants</h2>\n<ul>\n");
    let mut people: Vec<usize> = (0..n).collect();
    people.sort_by(|&a, &c| {
        problem.participants[a]
            .display_name()
            .cmp(problem.participants[c].display_name())
    });
    for p in people {
        let _ = writeln!(
            b,
            "<li><a href=\"participants/{}.html\">{}</a> ({} meetings)</li>",
            html_escape(&person_file[p]),
            html_escape(problem.participants[p].display_name()),
            count[p]
        );
    }
    b.push_str("</ul>\n");
    page(&format!("{title} - organiser statistics"), &b)
}
