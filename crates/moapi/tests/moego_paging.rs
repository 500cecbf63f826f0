//! Page tokens of MoeGo lists stay page numbers ("1", "2", ...) yet deep pages continue from
//! where the previous page ended (a cursor remembered in the database, docs/compatibility.md):
//! a client counting pages itself and one echoing `nextPageToken` both see every customer
//! exactly once, also when customers are created, or deleted behind the cursor, between pages.

mod common;

use std::collections::HashSet;

use common::TestApp;
use moapi_core::pagination::CURSOR_MIN_OFFSET;
use moapi_core::IdKind;
use moapi_moego::customer::store::{insert_many, NewCustomer, INSERT_MANY_ROWS};
use serde_json::json;

/// Page size of the walks: page 3 starts `CURSOR_MIN_OFFSET` rows in, the first page that
/// continues from a remembered cursor.
const PAGE_SIZE: i64 = CURSOR_MIN_OFFSET / 2;

/// Alpha, the first MoeGo company of the fixtures: its key and IDs.
struct Tenant {
    auth: String,
    company_id: String,
    business_id: String,
}

fn alpha(app: &TestApp) -> Tenant {
    let company = &app.seed.moego[0];
    Tenant {
        auth: app.moego_auth(0),
        company_id: company.company_id.clone(),
        business_id: company.business_ids[0].clone(),
    }
}

async fn create(app: &TestApp, alpha: &Tenant, n: usize) -> String {
    let reply = app
        .moego_post(
            &alpha.auth,
            "/v1/customers",
            json!({
                "companyId": alpha.company_id,
                "preferredBusinessId": alpha.business_id,
                "firstName": format!("Pager{n}"),
                "lastName": "Walker",
                "phone": format!("+1212555{:04}", 3000 + n),
            }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_string()
}

/// Loads `count` customers into Alpha's company through the store, as the benchmark does (the
/// walks need more than `CURSOR_MIN_OFFSET` of them).
async fn bulk_load(app: &TestApp, alpha: &Tenant, count: usize) {
    let company_id = app
        .state
        .ids
        .decode(IdKind::Company, &alpha.company_id)
        .unwrap();
    let business_id = app
        .state
        .ids
        .decode(IdKind::Business, &alpha.business_id)
        .unwrap();
    let mut conn = app.state.db.conn().detach().await.unwrap();
    let customers: Vec<(NewCustomer, i64)> = (0..count)
        .map(|n| {
            let mut customer = NewCustomer::new(company_id);
            customer.preferred_business_id = Some(business_id);
            customer.first_name = format!("Loaded{n}");
            customer.phone = format!("+1646555{:04}", n);
            (customer, 1_700_000_000_000_000 + n as i64)
        })
        .collect();
    for batch in customers.chunks(INSERT_MANY_ROWS) {
        insert_many(&mut conn, batch).await.unwrap();
    }
}

async fn soft_delete(app: &TestApp, id: &str) {
    let reply = app
        .send(app.admin(reqwest::Method::DELETE, &format!("/moego/customers/{id}")))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

/// One page from the node at `base`: its customer IDs and the next token.
async fn page(
    app: &TestApp,
    base: &str,
    alpha: &Tenant,
    size: i64,
    token: &str,
) -> (Vec<String>, String) {
    let reply = app
        .send(
            app.client
                .post(format!("{base}/v1/customers:list"))
                .header("authorization", &alpha.auth)
                .json(&json!({
                    "companyId": alpha.company_id,
                    "pagination": {"pageSize": size, "pageToken": token},
                })),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let ids = reply.body["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let next = reply.body["nextPageToken"].as_str().unwrap().to_string();
    (ids, next)
}

#[derive(Clone, Copy, Debug)]
enum ClientStyle {
    /// Sends "1", "2", "3", ... itself until a page comes back with an empty token.
    CountsPages,
    /// Sends whatever `nextPageToken` the previous page returned.
    EchoesToken,
}

#[tokio::test]
async fn both_client_styles_see_every_customer_once_when_customers_change_between_pages() {
    for style in [ClientStyle::CountsPages, ClientStyle::EchoesToken] {
        let app = common::spawn().await;
        // Pages alternate between two nodes: where a page ends is shared through the database.
        let (second_base, second_node) = app.second_node().await;
        let alpha = alpha(&app);
        bulk_load(&app, &alpha, 2 * CURSOR_MIN_OFFSET as usize + 100).await;
        let mut expected: HashSet<String> = HashSet::new();
        let mut token = "1".to_string();
        loop {
            let (ids, next) = page(&app, &app.base, &alpha, PAGE_SIZE, &token).await;
            expected.extend(ids);
            if next.is_empty() {
                break;
            }
            token = next;
        }
        let (mut seen, mut token, mut number) = (Vec::new(), "1".to_string(), 1);
        loop {
            let base = if number % 2 == 1 {
                &app.base
            } else {
                &second_base
            };
            let (ids, next) = page(&app, base, &alpha, PAGE_SIZE, &token).await;
            seen.extend(ids);
            if number == 2 {
                // The first customer, already seen, leaves the list: an OFFSET for page 3
                // would now skip a customer nobody has seen yet; the cursor does not.
                soft_delete(&app, &seen[0]).await;
                // New customers get higher IDs, so they come after the cursor: seen once.
                expected.insert(create(&app, &alpha, 100).await);
                expected.insert(create(&app, &alpha, 101).await);
            }
            if next.is_empty() {
                break;
            }
            number += 1;
            token = match style {
                ClientStyle::CountsPages => number.to_string(),
                ClientStyle::EchoesToken => {
                    assert_eq!(next, number.to_string(), "tokens read as page numbers");
                    next
                }
            };
        }
        assert!(number >= 5, "the walk went past the first cursor page");
        let unique: HashSet<String> = seen.iter().cloned().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{style:?}: a customer was seen twice"
        );
        assert_eq!(unique, expected, "{style:?}: every customer exactly once");
        second_node.abort();
    }
}

#[tokio::test]
async fn a_page_asked_directly_retried_or_continued_answers_the_same_customers() {
    let app = common::spawn().await;
    let alpha = alpha(&app);
    bulk_load(&app, &alpha, CURSOR_MIN_OFFSET as usize + 300).await;
    // Nobody has paged this query yet: page 3 is found by skipping two pages.
    let direct = page(&app, &app.base, &alpha, PAGE_SIZE, "3").await;
    let mut walked = Vec::new();
    for token in ["1", "2", "3"] {
        walked.push(page(&app, &app.base, &alpha, PAGE_SIZE, token).await);
    }
    let remembered: Vec<(i64,)> = sqlx::query_as("SELECT page FROM page_cursors ORDER BY page")
        .fetch_all(app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    assert_eq!(
        remembered,
        [(3,)],
        "page 2 (1,000 rows in) left where page 3 starts; shallower pages left nothing"
    );
    // Page 3 now continues after page 2's last customer, and a retry answers it again.
    assert_eq!(walked[2], direct);
    assert_eq!(page(&app, &app.base, &alpha, PAGE_SIZE, "3").await, direct);
    assert!(
        direct.0.len() >= 300,
        "page 3 holds the last loaded customers"
    );
}
