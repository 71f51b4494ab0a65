//! The page templates (embedded from `templates/` at build time) and the common context.

use crate::auth::Auth;
use crate::error::WebError;
use minijinja::{Environment, Value, context};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub(crate) use embedded::STATIC_FILES;

pub(crate) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Templates ending in .html are HTML-escaped on output (minijinja's default callback).
    for (name, source) in embedded::TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            // A broken template is a build defect; the test `every_template_compiles` names it.
            tracing::error!("template {name}: {e}");
        }
    }
    env.add_filter("num", format_number);
    env.add_filter("pct", |v: f64| format!("{:.1}%", v * 100.0));
    env
}

/// Thousands separated integers, two decimals otherwise.
fn format_number(value: Value) -> String {
    if let Some(i) = value.as_i64() {
        let digits = i.unsigned_abs().to_string();
        let mut out = String::new();
        for (k, c) in digits.chars().enumerate() {
            if k > 0 && (digits.len() - k) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        return if i < 0 { format!("-{out}") } else { out };
    }
    match f64::try_from(value.clone()) {
        Ok(f) if f.is_finite() => format!("{f:.2}"),
        _ => value.to_string(),
    }
}

pub(crate) fn render(
    env: &Environment<'static>,
    auth: Option<&Auth>,
    nav: &str,
    template: &str,
    extra: Value,
) -> Result<axum::response::Html<String>, WebError> {
    let user = auth.map(|a| {
        context! {
            username => a.username(),
            role => a.role().as_str(),
            org => a.org().map(|o| o.to_string()),
            is_staff => a.principal.is_staff(),
            can_edit => a.principal.can_edit_registry(),
            is_admin => a.principal.can_admin(),
        }
    });
    let ctx = context! {
        user => user,
        csrf => auth.map(|a| a.csrf.clone()),
        nav => nav,
        ..extra
    };
    let tmpl = env
        .get_template(template)
        .map_err(|e| WebError::internal(format!("template {template}: {e}")))?;
    tmpl.render(ctx)
        .map(axum::response::Html)
        .map_err(|e| WebError::internal(format!("template {template}: {e:#}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        let mut env = minijinja::Environment::new();
        for (name, source) in super::embedded::TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        assert!(!super::embedded::TEMPLATES.is_empty());
    }

    #[test]
    fn numbers_are_grouped() {
        use minijinja::Value;
        assert_eq!(super::format_number(Value::from(1234567)), "1,234,567");
        assert_eq!(super::format_number(Value::from(-1000)), "-1,000");
        assert_eq!(super::format_number(Value::from(12)), "12");
        assert_eq!(super::format_number(Value::from(0.5)), "0.50");
    }
}
