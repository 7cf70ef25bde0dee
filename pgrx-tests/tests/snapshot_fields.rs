//! Every field of the snapshot, checked against what the catalog says (fixtures/oracle.sql),
//! on a schema full of awkward names, partitions, odd FKs and indexes.

use pg_lens_e2e::*;
use serde_json::Value;

fn section<'a>(snap: &'a Value, name: &str) -> &'a serde_json::Map<String, Value> {
    let value = match name {
        "pks" | "uniques" | "checks" | "exclusions" => &snap["constraints"][name],
        _ => &snap[name],
    };
    value.as_object().unwrap_or_else(|| panic!("snapshot section {name} is not an object"))
}

#[test]
fn every_field_matches_the_catalog() {
    let mut db = fresh_db("lens_fields");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    add_newer_major_objects(&mut db, false);
    // an extension's own views and functions are the extension's, not the user's schema
    db.batch_execute("CREATE EXTENSION pg_stat_statements").unwrap();
    db.batch_execute("ANALYZE").unwrap();
    let snap = json(&mut db, "lens_snapshot()");
    assert!(snap["tables"].get("public.pg_stat_statements").is_none());
    assert!(snap["views"].get("public.pg_stat_statements_info").is_none());
    db.batch_execute(&fixture("oracle.sql")).unwrap();
    let expected = json(&mut db, "SELECT expected FROM oracle");

    let sections = [
        "tables", "columns", "pks", "uniques", "checks", "exclusions", "relationships", "indexes", "views", "enums",
        "domains", "sequences", "triggers", "policies",
    ];
    let mut checked = 0;
    for name in sections {
        let want = expected[name].as_object().cloned().unwrap_or_default();
        let got = section(&snap, name);
        let mut want_keys: Vec<&String> = want.keys().collect();
        let mut got_keys: Vec<&String> = got.keys().collect();
        want_keys.sort();
        got_keys.sort();
        assert_eq!(got_keys, want_keys, "keys of {name}");
        for (key, fields) in &want {
            for (field, value) in fields.as_object().unwrap() {
                assert_eq!(&got[key][field], value, "{name} {key} field {field}");
                checked += 1;
            }
            // an optional field the catalog leaves empty must be absent from the snapshot
            for optional in ["comment", "default", "generated", "identity", "collation", "predicate", "partitionOf"] {
                if fields.get(optional).is_none() && ["tables", "columns", "indexes", "views"].contains(&name) {
                    assert!(got[key].get(optional).is_none(), "{name} {key} has {optional} but the catalog has none");
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} fields compared");

    // a few facts spelled out, so a wrong oracle cannot hide a wrong snapshot
    let rels = section(&snap, "relationships");
    let composite = &rels["shop.shipments(order_id,line_no) -> shop.\"Order Items.v2\"(order_id,line_no)"];
    assert_eq!(composite["matchType"], "FULL");
    assert_eq!(composite["onDelete"], "SET NULL");
    let deferred = &rels["shop.orders(customer_id) -> shop.customers(id)"];
    assert_eq!(deferred["name"], "Orders→Customer");
    assert_eq!(deferred["initiallyDeferred"], true);
    assert_eq!(deferred["onUpdate"], "RESTRICT");
    assert_eq!(rels["shop.shipments(customer_id) -> shop.customers(id)"]["validated"], false);
    assert_eq!(rels["shop.shipments(customer_id) -> shop.customers(id)"]["onDelete"], "RESTRICT");
    assert_eq!(section(&snap, "checks")["shop.shipments:shipments_carrier_chk"]["validated"], false);
    assert!(rels.contains_key("\"Audit.Log\".\"user\"(\"from\") -> \"Audit.Log\".\"user\"(\"group\")"));
    // FKs cloned onto partitions are not repeated
    assert!(!rels.keys().any(|k| k.contains("events_2026") || k.contains("events_default")));
    let idx = &section(&snap, "indexes")["shop.orders.\"Orders (order+1)\""];
    assert_eq!(idx["columns"], serde_json::json!(["(\"order\" + 1)", "placed_at"]));
    let open = &section(&snap, "indexes")["shop.orders.orders_open"];
    assert_eq!(open["include"], serde_json::json!(["placed_at"]));
    assert_eq!(open["predicate"], "(status <> 'cancelled'::shop.order_status)");
    let t = &section(&snap, "tables")["\"Audit.Log\".events_2026"];
    assert_eq!(t["partitionOf"], "\"Audit.Log\".events");
    assert_eq!(t["partitionBound"], "FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')");
    let c = &section(&snap, "columns")["shop.customers.\"Full Name\""];
    assert_eq!(c["comment"], "As printed on the invoice, \"quoted\"");
    assert_eq!(section(&snap, "columns")["shop.customers.mood"]["dataType"], "shop.\"Mood Ring\"");
    assert_eq!(section(&snap, "columns")["shop.customers.id"]["identity"], "always");
    assert_eq!(section(&snap, "columns")["shop.customers.nickname"]["collation"], "pg_catalog.\"C\"");
    assert_eq!(section(&snap, "enums")["shop.\"Mood Ring\""]["values"], serde_json::json!(["ok", "it's \"fine\""]));
    assert_eq!(section(&snap, "tables")["shop.orders"]["rlsForced"], true);
    assert_eq!(section(&snap, "tables")["shop.cart_cache"]["persistence"], "unlogged");
    assert_eq!(section(&snap, "triggers")["shop.orders.\"Touch Order\""]["enabled"], "disabled");
    assert_eq!(section(&snap, "sequences")["shop.invoice_no"]["cycle"], true);
    assert_eq!(section(&snap, "sequences")["\"Audit.Log\".events_id_seq"]["ownedBy"], "\"Audit.Log\".events.id");

    if server_major() >= 18 {
        let columns = section(&snap, "columns");
        let rate = |c: &str| &columns[&format!("\"Audit.Log\".\"Room Rate\".{c}")];
        assert_eq!(rate("rate")["notNullName"], "rate is set");
        assert_eq!(rate("note")["notNullNoInherit"], true);
        assert_eq!((&rate("later")["notNullNotValid"], &rate("later")["isNullable"]), (&serde_json::json!(true), &serde_json::json!(false)));
        assert!(rate("room").get("notNullName").is_none(), "the name the server chose is not recorded");
        assert_eq!(rate("\"rate+tax\"")["generatedVirtual"], true);
        assert!(rate("\"rate, stored\"").get("generatedVirtual").is_none());
        let archived = &columns["\"Audit.Log\".\"Room Rate, archived\".rate"];
        assert!(archived.get("notNullName").is_none() && archived["isNullable"] == false, "inherited, with its parent's name: {archived}");
        assert!(columns["\"Audit.Log\".\"Room Rate, archived\".note"]["isNullable"] == true, "NO INHERIT stays with the parent");
        assert_eq!(section(&snap, "pks")["\"Audit.Log\".\"Room Rate\":\"Rate Key\""]["withoutOverlaps"], true);
        let temporal = &rels["\"Audit.Log\".\"Rate Charge\"(room,\"charged during\") -> \"Audit.Log\".\"Room Rate\"(room,\"valid during\")"];
        assert_eq!((&temporal["period"], &temporal["name"]), (&serde_json::json!(true), &serde_json::json!("charge→rate")));
        assert_eq!(rels["\"Audit.Log\".\"Rate Charge\"(id) -> shop.customers(id)"]["notEnforced"], true);
        assert_eq!(section(&snap, "checks")["\"Audit.Log\".\"Rate Charge\":\"amount positive\""]["notEnforced"], true);
    }

    // meta
    assert_eq!(snap["meta"]["formatVersion"], 3);
    assert_eq!(snap["meta"]["sizes"], "estimated");
    assert_eq!(snap["meta"]["schemas"], serde_json::json!(["Audit.Log", "public", "shop", "ünïcode"]));
    assert_eq!(snap["meta"]["signature"].as_str().unwrap().len(), 64);
    // pg_lens's own objects never show
    let own = text(&mut db, "SELECT count(*)::text FROM pg_depend WHERE refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_lens') AND deptype = 'e'");
    assert_ne!(own, "0");
}

#[test]
fn every_field_of_functions_privileges_owners_and_settings_matches_the_catalog() {
    let mut db = fresh_db("lens_fields_objects");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    db.batch_execute(&fixture("awkward_objects.sql")).unwrap();
    add_newer_major_objects(&mut db, true);
    let snap = json(&mut db, "lens_snapshot()");
    db.batch_execute(&fixture("oracle_objects.sql")).unwrap();
    let expected = json(&mut db, "SELECT expected FROM oracle_objects");
    let mut checked = 0;
    // sections the oracle lists whole: the same keys
    for name in ["functions", "schemas", "extensions", "defaultPrivileges", "collations", "types", "statistics", "rules"] {
        let mut want: Vec<&String> = expected[name].as_object().unwrap().keys().collect();
        let mut got: Vec<&String> = snap[name].as_object().unwrap().keys().collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "keys of {name}");
    }
    for (name, fields) in [
        ("functions", &["schema", "name", "kind", "language", "arguments", "identityArguments", "returns", "volatility", "strict",
                        "securityDefiner", "leakproof", "parallel", "cost", "rows", "config", "definition", "comment", "owner"][..]),
        ("schemas", &["name", "comment", "owner"][..]),
        ("extensions", &["name", "version", "schema"][..]),
        ("defaultPrivileges", &["role", "schema"][..]),
        ("collations", &["schema", "name", "provider", "locale", "lcCollate", "lcCtype", "deterministic", "comment", "owner"][..]),
        ("types", &["schema", "name", "kind", "subtype", "multirange", "comment", "owner"][..]),
        ("statistics", &["schema", "name", "tableKey", "definition", "statisticsTarget", "comment"][..]),
        ("rules", &["name", "tableKey", "definition", "enabled", "comment"][..]),
        ("tables", &["owner", "options", "replicaIdentity", "privileges"][..]),
        ("columns", &["statisticsTarget", "storage", "options", "privileges"][..]),
        ("sequences", &["owner"][..]),
        ("enums", &["owner"][..]),
    ] {
        for (key, want) in expected[name].as_object().unwrap() {
            let got = snap[name].get(key).unwrap_or_else(|| panic!("{name} {key} missing from the snapshot"));
            for field in fields {
                if name == "functions" && *field == "definition" && got["kind"] == "aggregate" {
                    continue; // pg_get_functiondef() prints none: spelled out below
                }
                // absent on both sides, or equal (numbers as numbers: cost 5 is 5)
                let (w, g) = (want.get(*field), got.get(*field));
                let same = match (w, g) {
                    (Some(a), Some(b)) => a == b || (a.as_f64().is_some() && a.as_f64() == b.as_f64()),
                    (None, None) => true,
                    _ => false,
                };
                assert!(same, "{name} {key} field {field}: catalog {w:?}, snapshot {g:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 400, "only {checked} fields compared");

    // spelled out, so a wrong oracle cannot hide a wrong snapshot
    let f = &snap["functions"]["\"Fn Space.ü\".\"Total \"\"Due\"\".v2\"(integer, numeric, text[])"];
    assert_eq!(f["arguments"], "qty integer, \"unit price\" numeric DEFAULT 1.5, VARIADIC tags text[] DEFAULT '{}'::text[]");
    assert_eq!(f["cost"], serde_json::json!(5));
    assert_eq!(f["comment"], "line one\n-- line two */");
    let guard = &snap["functions"]["\"Fn Space.ü\".guard()"];
    assert_eq!(guard["owner"], "lens owner");
    assert_eq!(guard["securityDefiner"], true);
    assert_eq!(guard["privileges"], serde_json::json!({"Lens \"Auditor\".ü": ["EXECUTE WITH GRANT OPTION"], "lens owner": ["EXECUTE"]}));
    assert_eq!(snap["functions"]["\"Fn Space.ü\".\"archive it\"(integer)"]["kind"], "procedure");
    assert_eq!(
        snap["functions"]["\"Fn Space.ü\".\"sum ü\"(numeric)"]["definition"],
        "CREATE AGGREGATE \"Fn Space.ü\".\"sum ü\"(numeric) (SFUNC = numeric_add, STYPE = numeric, INITCOND = '0', PARALLEL = SAFE);"
    );
    let middle = &snap["functions"]["\"Fn Space.ü\".middle(numeric)"];
    assert_eq!(middle["definition"], "CREATE AGGREGATE \"Fn Space.ü\".middle(ORDER BY numeric) (SFUNC = array_append, STYPE = numeric[], FINALFUNC = \"Fn Space.ü\".last_of, FINALFUNC_EXTRA);");
    assert_eq!(snap["schemas"]["\"Fn Space.ü\""]["privileges"], serde_json::json!({"Lens \"Auditor\".ü": ["USAGE WITH GRANT OPTION"], "lens owner": ["CREATE", "USAGE"]}));
    assert_eq!(snap["extensions"]["citext"]["schema"], "Fn Space.ü");
    assert_eq!(snap["columns"]["shop.customers.\"Full Name\""]["privileges"], serde_json::json!({"Lens \"Auditor\".ü": ["SELECT"]}));
    assert_eq!(snap["enums"]["shop.\"Mood Ring\""]["privileges"], serde_json::json!({"Lens \"Auditor\".ü": ["USAGE"], "postgres": ["USAGE"]}));
    assert_eq!(snap["domains"]["shop.email"]["owner"], "lens owner");
    assert_eq!(snap["sequences"]["shop.invoice_no"]["privileges"], serde_json::json!({"Lens \"Auditor\".ü": ["USAGE"], "postgres": ["SELECT", "UPDATE", "USAGE"]}));
    assert_eq!(snap["defaultPrivileges"]["\"lens owner\" ON FUNCTIONS"]["privileges"], serde_json::json!({"lens owner": ["EXECUTE"]}));
    assert_eq!(snap["tables"]["shop.customers"]["replicaIdentity"], "full");
    // composite attributes in order, with their collations where they are not the type's
    assert_eq!(
        snap["types"]["shop.\"Money \"\"Pair\"\"\""]["attributes"],
        serde_json::json!([{"name": "amount", "dataType": "numeric(12,2)"}, {"name": "currency code", "dataType": "text", "collation": "pg_catalog.\"C\""},
                           {"name": "mood", "dataType": "shop.\"Mood Ring\""}])
    );
    assert_eq!(snap["types"]["\"Fn Space.ü\".\"num range\""]["subtypeDiff"], "\"Fn Space.ü\".num_diff");
    assert!(snap["functions"].get("\"Fn Space.ü\".\"num range\"(numeric, numeric)").is_none(), "a range's constructors are the type's");
    // a foreign server's secret stays out of the snapshot, its name does not
    assert_eq!(snap["foreignServers"]["\"api ü\""]["options"], serde_json::json!(["host=api.example", "api Token=(redacted)"]));
    assert!(!snap.to_string().contains("do-not-leak"));
    let remote = &snap["tables"]["shop.\"remote orders\""];
    assert_eq!((&remote["kind"], &remote["server"], &remote["foreignOptions"]), (&serde_json::json!("foreign_table"), &serde_json::json!("api ü"), &serde_json::json!(["path=/orders"])));
    assert_eq!(snap["columns"]["shop.\"remote orders\".id"]["foreignOptions"], serde_json::json!(["column_name=ID"]));
    if server_major() >= 17 {
        let public = snap["tables"]["shop.orders"]["privileges"]["public"].as_array().cloned().unwrap_or_default();
        assert!(public.contains(&serde_json::json!("MAINTAIN")), "{public:?}");
        let user = &snap["tables"]["\"Audit.Log\".\"user\""]["privileges"]["Lens \"Auditor\".ü"];
        assert!(user.as_array().unwrap().contains(&serde_json::json!("MAINTAIN WITH GRANT OPTION")), "{user}");
    }
    // a table nobody granted anything on keeps its default privileges: none listed
    assert!(snap["tables"]["shop.cart_cache"].get("privileges").is_none());
    // a change moves the signature of its own section only
    db.batch_execute("RESET search_path").unwrap();
    db.batch_execute("GRANT EXECUTE ON FUNCTION \"Fn Space.ü\".guard() TO lens_fields_nobody").unwrap_or_else(|_| {
        db.batch_execute("DO $$ BEGIN CREATE ROLE lens_fields_nobody; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
                          GRANT EXECUTE ON FUNCTION \"Fn Space.ü\".guard() TO lens_fields_nobody").unwrap()
    });
    let after = json(&mut db, "lens_snapshot()");
    let (before, now) = (snap["meta"]["sectionSignatures"].as_object().unwrap(), after["meta"]["sectionSignatures"].as_object().unwrap());
    let moved: Vec<&String> = before.keys().filter(|k| before[*k] != now[*k]).collect();
    assert_eq!(moved, vec!["functions"], "{before:?} {now:?}");
    assert!(before.contains_key("constraints.pks") && before.contains_key("defaultPrivileges"));
}

#[test]
fn jsonb_is_well_formed() {
    let mut db = fresh_db("lens_jsonb");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    // text round trip: same bytes in, same value out (key order, numbers, escapes)
    assert_eq!(text(&mut db, "SELECT (s::text::jsonb = s AND s::text::jsonb::text = s::text)::text FROM lens_snapshot() s"), "true");
    // key lookups use jsonb's binary search: every key must be found
    assert_eq!(
        text(&mut db, "SELECT count(*) FILTER (WHERE s->'columns'->k IS NULL)::text FROM lens_snapshot() s, jsonb_object_keys(s->'columns') k"),
        "0"
    );
    // numbers come back as numbers, extremes included
    assert_eq!(
        text(&mut db, "SELECT (s->'sequences'->'\"Audit.Log\".events_id_seq'->>'max')::numeric::text FROM lens_snapshot() s"),
        "9223372036854775807"
    );
    assert_eq!(text(&mut db, "SELECT jsonb_typeof(lens_snapshot()->'tables'->'shop.orders'->'rowEstimate')"), "number");
    db.batch_execute("CREATE SEQUENCE shop.neg MINVALUE -9223372036854775808 MAXVALUE -1 INCREMENT -3 START -1").unwrap();
    assert_eq!(
        text(&mut db, "SELECT (lens_snapshot()->'sequences'->'shop.neg'->>'min') || ' ' || (lens_snapshot()->'sequences'->'shop.neg'->>'increment')"),
        "-9223372036854775808 -3"
    );
}

#[test]
fn limited_to_some_tables() {
    let mut db = fresh_db("lens_tables_filter");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    let snap = json(&mut db, "lens_snapshot(tables => ARRAY['shop.orders', '\"Audit.Log\".\"user\"'])");
    let tables: Vec<&String> = snap["tables"].as_object().unwrap().keys().collect();
    assert_eq!(tables, vec!["\"Audit.Log\".\"user\"", "shop.orders"]);
    for (_, c) in snap["columns"].as_object().unwrap() {
        assert!(c["tableKey"] == "shop.orders" || c["tableKey"] == "\"Audit.Log\".\"user\"");
    }
    for (_, i) in snap["indexes"].as_object().unwrap() {
        assert!(i["tableKey"] == "shop.orders" || i["tableKey"] == "\"Audit.Log\".\"user\"");
    }
    let rels: Vec<&String> = snap["relationships"].as_object().unwrap().keys().collect();
    // orders -> customers (out), items -> orders (in), user self reference, events -> user (in)
    assert_eq!(
        rels.iter().map(|s| s.as_str()).collect::<std::collections::BTreeSet<_>>(),
        [
            "\"Audit.Log\".\"user\"(\"from\") -> \"Audit.Log\".\"user\"(\"group\")",
            "\"Audit.Log\".events(actor) -> \"Audit.Log\".\"user\"(\"group\")",
            "shop.\"Order Items.v2\"(order_id) -> shop.orders(id)",
            "shop.orders(customer_id) -> shop.customers(id)",
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(snap["meta"]["tables"], serde_json::json!(["shop.orders", "\"Audit.Log\".\"user\""]));
    assert!(snap["policies"].as_object().unwrap().contains_key("shop.orders:\"own orders\""));
    assert!(snap["constraints"]["pks"].as_object().unwrap().len() == 2);

    // each table's snapshot (read by index probes) holds exactly what the full one (read by
    // scans) says of that table, entry for entry
    let full = json(&mut db, "lens_snapshot()");
    let keys: Vec<String> = full["tables"].as_object().unwrap().keys().cloned().collect();
    let belongs = |entry: &Value, table: &str| {
        [&entry["tableKey"], &entry["childKey"], &entry["parentKey"], &entry["key"]].iter().any(|v| v.as_str() == Some(table))
    };
    for table in &keys {
        let one = json(&mut db, &format!("lens_snapshot(tables => ARRAY['{}'])", table.replace('\'', "''")));
        for path in ["tables", "columns", "indexes", "views", "triggers", "policies", "relationships", "pks", "uniques", "checks", "exclusions"] {
            for (key, entry) in section(&one, path) {
                assert_eq!(Some(entry), section(&full, path).get(key), "{table}: {path} {key}");
            }
            for key in section(&full, path).iter().filter(|(_, e)| belongs(e, table)).map(|(k, _)| k) {
                assert!(section(&one, path).contains_key(key), "{table}: {path} {key} is missing");
            }
        }
    }
}

/// A snapshot limited to more tables than it probes the catalogs for (over 1,000) reads them
/// by scans: the same entries as the whole snapshot, every one of them.
#[test]
fn limited_to_many_tables() {
    let mut db = fresh_db("lens_many_tables");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    db.batch_execute(
        "CREATE SCHEMA \"Many.ü\";
         DO $$ BEGIN
           FOR i IN 1..1000 LOOP
             EXECUTE format('CREATE TABLE \"Many.ü\".%I (id int PRIMARY KEY, customer_id bigint REFERENCES shop.customers (id), note text DEFAULT %L)',
                            'filler ' || i, 'n' || i);
           END LOOP;
         END $$;",
    )
    .unwrap();
    let full = json(&mut db, "lens_snapshot()");
    let keys: Vec<&String> = full["tables"].as_object().unwrap().keys().collect();
    assert!(keys.len() > 1000);
    let list = keys.iter().map(|k| format!("'{}'", k.replace('\'', "''"))).collect::<Vec<_>>().join(", ");
    let many = json(&mut db, &format!("lens_snapshot(tables => ARRAY[{list}])"));
    for path in ["tables", "columns", "indexes", "views", "triggers", "policies", "relationships", "pks", "uniques", "checks", "exclusions"] {
        assert_eq!(section(&many, path), section(&full, path), "{path}");
    }
    // the tables' own sequences (a limited snapshot holds no sequence nobody owns)
    let owned: serde_json::Map<String, Value> =
        section(&full, "sequences").iter().filter(|(_, s)| s.get("ownedBy").is_some()).map(|(k, v)| (k.clone(), v.clone())).collect();
    assert!(!owned.is_empty());
    assert_eq!(section(&many, "sequences"), &owned);
}

#[test]
fn two_fks_over_the_same_columns_keep_both() {
    let mut db = fresh_db("lens_dup_fk");
    db.batch_execute(
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE c (p_id int CONSTRAINT b_fk REFERENCES p, CONSTRAINT a_fk FOREIGN KEY (p_id) REFERENCES p ON DELETE CASCADE);",
    )
    .unwrap();
    let snap = json(&mut db, "lens_snapshot()");
    let rels = snap["relationships"].as_object().unwrap();
    assert_eq!(rels.len(), 2);
    assert_eq!(rels["public.c(p_id) -> public.p(id)"]["name"], "a_fk");
    assert_eq!(rels["public.c(p_id) -> public.p(id) #b_fk"]["name"], "b_fk");
}

#[test]
fn exact_sizes_are_the_size_functions() {
    let mut db = fresh_db("lens_exact_sizes");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    db.batch_execute(
        "INSERT INTO shop.customers (email, \"Full Name\") SELECT 'u' || g || '@x.org', repeat('long name ', 300) || g FROM generate_series(1, 3000) g;
         ALTER TABLE \"Audit.Log\".events DISABLE TRIGGER events_touch;
         INSERT INTO \"Audit.Log\".events (kind, payload, at) SELECT 'k' || g, jsonb_build_object('n', g), '2026-03-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 2000) g;",
    )
    .unwrap();
    db.batch_execute("VACUUM ANALYZE").unwrap();
    let snap = json(&mut db, "lens_snapshot(exact_sizes => true)");
    assert_eq!(snap["meta"]["sizes"], "exact");
    let rows = db
        .query(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_total_relation_size(c.oid), pg_relation_size(c.oid), pg_indexes_size(c.oid)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('shop', 'Audit.Log', 'ünïcode') AND c.relkind IN ('r', 'p', 'v', 'm')",
            &[],
        )
        .unwrap();
    assert!(rows.len() > 10);
    let mut toasted = false;
    for row in rows {
        let key: String = row.get(0);
        let (total, heap, index): (i64, i64, i64) = (row.get(1), row.get(2), row.get(3));
        let t = &snap["tables"][&key];
        assert_eq!(t["totalBytes"], total, "{key} totalBytes");
        assert_eq!(t["heapBytes"], heap, "{key} heapBytes");
        assert_eq!(t["indexBytes"], index, "{key} indexBytes");
        assert_eq!(t["toastBytes"], total - heap - index, "{key} toastBytes");
        toasted |= key == "shop.customers" && total - heap - index > 8192 * 3;
    }
    assert!(toasted, "the customers' long names went to TOAST and count");
}
