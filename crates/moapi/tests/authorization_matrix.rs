//! The authorization matrix, generated from the route catalog: every built operation of both
//! APIs, sent by every kind of hostile caller (another tenant's key, a key of another business
//! of the company, a key lacking the operation's scope, a revoked key, a key from outside its
//! networks, an M2M token lacking the scope or acting outside its grant), is refused in its
//! dialect and changes no row of any table. The owner's own request, sent last, succeeds, so
//! the refusals are not answers to a malformed request.

mod common;

use common::route_catalog::{
    changed_tables, is_refusal, quiet, recipes_of_built_operations, snapshot, Api, Expect,
    Hostiles, Scene, MOEGO_HOSTILES, MOGU_HOSTILES,
};

#[tokio::test]
async fn every_operation_refuses_every_hostile_caller_and_changes_nothing() {
    let scene = Scene::new(common::spawn_with(quiet).await).await;
    let hostiles = Hostiles::new(&scene).await;
    let recipes = recipes_of_built_operations();
    let mut failures = Vec::new();
    let mut before = snapshot(&scene.app).await;
    for recipe in &recipes {
        let call = (recipe.call)(&scene);
        let kinds: &[_] = match recipe.api() {
            Api::Moego => &MOEGO_HOSTILES,
            Api::Mogu => &MOGU_HOSTILES,
        };
        for &hostile in kinds {
            let expect = recipe.expectation(hostile);
            if let Some(Expect::NotApplicable(_)) = expect {
                continue;
            }
            let Some(headers) = hostiles.headers(recipe, hostile) else {
                continue;
            };
            let reply = scene.send(&call, &headers).await;
            let answered = match expect {
                Some(Expect::OwnOnly(shows_nothing_of_the_victims)) => {
                    (200..300).contains(&reply.status)
                        && shows_nothing_of_the_victims(&scene, &reply.body)
                }
                _ => is_refusal(recipe.api(), hostile, &reply),
            };
            if !answered {
                failures.push(format!(
                    "{} {} as {hostile:?}: {} {}",
                    recipe.operation_id,
                    call.path,
                    reply.status,
                    &reply.text[..reply.text.len().min(300)]
                ));
            }
        }
        let after = snapshot(&scene.app).await;
        let changed = changed_tables(&before, &after);
        if !changed.is_empty() {
            failures.push(format!(
                "{}: a refused request changed {changed:?}",
                recipe.operation_id
            ));
            before = after;
        }
    }
    for recipe in &recipes {
        let call = (recipe.call)(&scene);
        let reply = scene.send(&call, &scene.owner(recipe.api())).await;
        if !(200..300).contains(&reply.status) {
            failures.push(format!(
                "{} {} as its owner: {} {}",
                recipe.operation_id,
                call.path,
                reply.status,
                &reply.text[..reply.text.len().min(300)]
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
