//! Concurrent reads, generated from the route catalog: with the database pool at one
//! connection, 32 simultaneous requests to every built read operation of both APIs (each
//! get-by-ID and each list) all succeed. A handler that took a second pooled connection while
//! holding one would fail here: the request scope refuses the second connection at once, and
//! without that guard such requests would wait on each other until the pool timed out.

mod common;

use common::route_catalog::{quiet, recipes_of_built_operations, Kind, Scene};

const CALLERS: usize = 32;

#[tokio::test]
async fn every_read_answers_32_concurrent_callers_on_a_one_connection_pool() {
    let app = common::spawn_with(|config| {
        quiet(config);
        config.db_pool = Some(1);
    })
    .await;
    assert_eq!(app.state.db.pool_size(), 1);
    let scene = std::sync::Arc::new(Scene::new(app).await);
    let mut failures = Vec::new();
    for recipe in recipes_of_built_operations() {
        if recipe.kind != Kind::Read {
            continue;
        }
        let mut callers = tokio::task::JoinSet::new();
        for _ in 0..CALLERS {
            let scene = scene.clone();
            callers.spawn(async move {
                let call = (recipe.call)(&scene);
                scene.send(&call, &scene.owner(recipe.api())).await
            });
        }
        let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
        let mut sample = String::new();
        while let Some(reply) = callers.join_next().await {
            let reply = reply.expect("a caller finishes");
            if !(200..300).contains(&reply.status) {
                sample = reply.text.chars().take(200).collect();
            }
            *statuses.entry(reply.status).or_default() += 1;
        }
        if statuses.keys().any(|status| !(200..300).contains(status)) {
            failures.push(format!("{}: {statuses:?} {sample}", recipe.operation_id));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
