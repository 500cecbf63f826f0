//! Agreements: GetAgreement and ListAgreements against the vendor swagger on the demo set's
//! agreements (business filter, pages, the business restriction, deleted ones, errors), the
//! operator verbs and what they move (`lastEditTime`, `lastRequiredTime`), sign links (both
//! spellings of the query, records reused while they stand, per policy) and the signing page
//! over plain HTTP and in headless Chromium (once only, tampered and expired links). On both
//! databases.

mod common;

use std::time::Duration;

use common::browser::{click, Driver};
use common::fidelity::assert_moego;
use common::Reply;
use moapi::operator::MoegoKeyRequest;
use reqwest::Method;
use serde_json::{json, Value};

const AGREEMENTS: &str = "agreement/v1/agreement_service.swagger.json";

/// The demo set: Happy Paws (Downtown, Mission) with its agreements.
type Demo = common::HappyPaws;

async fn demo() -> Demo {
    common::happy_paws(|_| {}).await
}

/// The path (and signed query) of an absolute link.
fn path_of(url: &str) -> String {
    let at = url.find("/links/").expect("a /links/ URL");
    url[at..].to_string()
}

impl Demo {
    async fn list_as(&self, auth: &str, body: Value) -> Reply {
        self.app.moego_post(auth, "/v1/agreements:list", body).await
    }

    async fn list(&self, business_ids: Value) -> Vec<Value> {
        let reply = self
            .list_as(
                &self.auth,
                json!({"companyId": self.company, "businessIds": business_ids,
                       "pagination": {"pageSize": 100}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(AGREEMENTS, "v1ListAgreementsResponse", &reply.body);
        reply.body["agreement"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    async fn get(&self, id: &str) -> Reply {
        self.app
            .moego_get(
                &self.auth,
                &format!("/v1/agreements/{id}?companyId={}", self.company),
            )
            .await
    }

    async fn agreement(&self, title: &str) -> Value {
        self.list(json!([]))
            .await
            .into_iter()
            .find(|agreement| agreement["title"] == title)
            .unwrap_or_else(|| panic!("no agreement {title:?}"))
    }

    async fn customer(&self, first_name: &str) -> String {
        let reply = self
            .app
            .moego_post(
                &self.auth,
                "/v1/customers:list",
                json!({"companyId": self.company, "pagination": {"pageSize": 100}}),
            )
            .await;
        reply.body["customers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|customer| customer["firstName"] == first_name)
            .map(|customer| customer["id"].as_str().unwrap().to_string())
            .unwrap()
    }

    async fn sign_link(&self, agreement: &str, query: &str) -> Reply {
        self.app
            .moego_get(
                &self.auth,
                &format!("/v1/agreements/{agreement}/sign_link?{query}"),
            )
            .await
    }

    /// A sign link that must be made: (record ID, page path).
    async fn signed_link(
        &self,
        agreement: &str,
        customer: &str,
        business: &str,
    ) -> (String, String) {
        let reply = self
            .sign_link(
                agreement,
                &format!("customerId={customer}&businessId={business}"),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(AGREEMENTS, "v1GetAgreementSignURLResponse", &reply.body);
        (
            reply.body["agreementRecordId"]
                .as_str()
                .unwrap()
                .to_string(),
            path_of(reply.body["signUrl"].as_str().unwrap()),
        )
    }

    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self.app.admin(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.app.send(request).await
    }

    /// Edits the waiver's content (the rest as the demo has it).
    async fn edit_waiver(&self, waiver: &str, content: &str, again: bool) -> Reply {
        self.admin(
            Method::PUT,
            &format!("/moego/agreements/{waiver}"),
            Some(
                json!({"title": "Grooming Service Waiver", "content": content,
                        "signedPolicy": "FOR_FIRST", "businessIds": [self.downtown, self.mission],
                        "requireSigningAgain": again}),
            ),
        )
        .await
    }

    async fn records(&self, agreement: &str) -> Vec<Value> {
        let reply = self
            .admin(
                Method::GET,
                &format!("/moego/agreements/{agreement}/records"),
                None,
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["records"].as_array().unwrap().clone()
    }
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn agreements_read_and_list_as_the_vendor_defines_them() {
    let demo = demo().await;
    let all = demo.list(json!([])).await;
    let titles: Vec<&str> = all.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        ["Grooming Service Waiver", "Photo Release"],
        "oldest first"
    );
    let waiver = &all[0];
    assert_eq!(waiver["status"], "NORMAL");
    assert_eq!(waiver["signedPolicy"], "FOR_FIRST");
    assert_eq!(waiver["businessId"], demo.downtown.as_str());
    assert!(waiver["creatorId"].as_str().unwrap().starts_with("stf_"));
    assert!(waiver["content"]
        .as_str()
        .unwrap()
        .contains("<strong>existing health conditions</strong>"));
    assert!(waiver["smsTemplate"].as_str().unwrap().contains("{link}"));
    for time in [
        "lastRequiredTime",
        "lastEditTime",
        "createdTime",
        "lastUpdatedTime",
    ] {
        assert!(waiver[time].as_str().unwrap().ends_with('Z'), "{time}");
    }
    // The photo release applies at every business: no businessId.
    assert!(all[1].get("businessId").is_none(), "{}", all[1]);

    let got = demo.get(waiver["id"].as_str().unwrap()).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_moego(AGREEMENTS, "v1Agreement", &got.body);
    assert_eq!(got.body, *waiver);
    let snake = demo
        .app
        .moego_get(
            &demo.auth,
            &format!(
                "/v1/agreements/{}?company_id={}",
                waiver["id"].as_str().unwrap(),
                demo.company
            ),
        )
        .await;
    assert_eq!(snake.body, *waiver);

    // An agreement of Mission only: listed for Mission, not for Downtown, nor for a key held
    // to Downtown.
    let created = demo
        .admin(
            Method::POST,
            &format!("/moego/companies/{}/agreements", demo.company),
            Some(json!({"title": "Daycare Rules", "content": "<p>Play nicely.</p><script>x()</script>",
                        "signedPolicy": "FOR_EACH", "businessIds": [demo.mission]})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let rules = created.body["agreementId"].as_str().unwrap().to_string();
    let rules_body = demo.get(&rules).await.body;
    assert_eq!(rules_body["content"], "<p>Play nicely.</p>", "sanitised");
    assert!(rules_body.get("creatorId").is_none());
    let titles_at = |list: Vec<Value>| -> Vec<String> {
        list.iter()
            .map(|a| a["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles_at(demo.list(json!([demo.mission])).await),
        ["Grooming Service Waiver", "Photo Release", "Daycare Rules"]
    );
    assert_eq!(
        titles_at(demo.list(json!([demo.downtown])).await),
        ["Grooming Service Waiver", "Photo Release"]
    );
    let held = demo
        .app
        .issue_moego_key(MoegoKeyRequest {
            company: demo.company.clone(),
            businesses: vec![demo.downtown.clone()],
            ..Default::default()
        })
        .await;
    let restricted = demo
        .list_as(
            &held.authorization,
            json!({"companyId": demo.company, "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(restricted.status, 200, "{}", restricted.text);
    assert_eq!(restricted.body["agreement"].as_array().unwrap().len(), 2);
    let beyond = demo
        .list_as(
            &held.authorization,
            json!({"companyId": demo.company, "businessIds": [demo.mission], "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(beyond.status, 403, "{}", beyond.text);

    // Pages of one.
    let mut seen = Vec::new();
    let mut token = Value::Null;
    loop {
        let mut pagination = json!({"pageSize": 1});
        if let Some(text) = token.as_str().filter(|t| !t.is_empty()) {
            pagination["pageToken"] = json!(text);
        }
        let reply = demo
            .list_as(
                &demo.auth,
                json!({"companyId": demo.company, "pagination": pagination}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        seen.extend(titles_at(
            reply.body["agreement"].as_array().unwrap().clone(),
        ));
        token = reply.body["nextPageToken"].clone();
        if token.as_str().unwrap_or_default().is_empty() {
            break;
        }
    }
    assert_eq!(
        seen,
        ["Grooming Service Waiver", "Photo Release", "Daycare Rules"]
    );

    // Deleted: out of the list, still readable as DELETED.
    let deleted = demo
        .admin(Method::DELETE, &format!("/moego/agreements/{rules}"), None)
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(demo.list(json!([demo.mission])).await.len(), 2);
    assert_eq!(demo.get(&rules).await.body["status"], "DELETED");
    let again = demo
        .admin(Method::DELETE, &format!("/moego/agreements/{rules}"), None)
        .await;
    assert_eq!(again.status, 404);

    // Errors in the dialect.
    let waiver_id = waiver["id"].as_str().unwrap();
    let no_company = demo
        .app
        .moego_get(&demo.auth, &format!("/v1/agreements/{waiver_id}"))
        .await;
    assert_eq!(no_company.status, 400, "{}", no_company.text);
    assert!(no_company.body["message"]
        .as_str()
        .unwrap()
        .contains("companyId"));
    let malformed = demo.get("agr_nope").await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.body["message"], "invalid obfuscate");
    let other = demo
        .app
        .moego_get(
            &demo.other_auth,
            &format!("/v1/agreements/{waiver_id}?companyId={}", demo.company),
        )
        .await;
    assert_eq!(other.status, 403, "{}", other.text);
    let no_pages = demo
        .list_as(&demo.auth, json!({"companyId": demo.company}))
        .await;
    assert_eq!(no_pages.status, 400, "{}", no_pages.text);
    let bad_policy = demo
        .admin(
            Method::POST,
            &format!("/moego/companies/{}/agreements", demo.company),
            Some(json!({"title": "T", "content": "<p>c</p>", "signedPolicy": "ALWAYS"})),
        )
        .await;
    assert_eq!(bad_policy.status, 400, "{}", bad_policy.text);
    assert!(bad_policy.text.contains("signedPolicy"));
}

#[tokio::test]
async fn sign_links_make_records_that_are_signed_once() {
    let demo = demo().await;
    let app = &demo.app;
    let waiver = demo.agreement("Grooming Service Waiver").await;
    let waiver_id = waiver["id"].as_str().unwrap().to_string();
    let james = demo.customer("James").await;
    let emma = demo.customer("Emma").await;

    // The demo sent James a link at Mission he has not signed: a new link shows that record
    // again, whichever spelling the query uses.
    let records = demo.records(&waiver_id).await;
    assert_eq!(records.len(), 2, "{records:?}");
    let pending = records
        .iter()
        .find(|record| record["customerId"] == james.as_str())
        .unwrap();
    assert_eq!(pending["signedStatus"], "UNSIGNED");
    let snake = demo
        .sign_link(
            &waiver_id,
            &format!("customer_id={james}&business_id={}", demo.mission),
        )
        .await;
    assert_eq!(snake.status, 200, "{}", snake.text);
    assert_eq!(
        snake.body["agreementRecordId"],
        pending["agreementRecordId"]
    );
    let url = snake.body["signUrl"].as_str().unwrap();
    assert!(url.starts_with("http"), "{url}");
    let (record, link) = demo.signed_link(&waiver_id, &james, &demo.mission).await;
    assert_eq!(record, pending["agreementRecordId"].as_str().unwrap());

    let page = app.send(app.client.get(app.url(&link))).await;
    assert_eq!(page.status, 200, "{}", page.text);
    for shown in [
        "Grooming Service Waiver",
        "<strong>existing health conditions</strong>",
        "James Miller",
        "Happy Paws Mission",
        "name=\"consent\"",
    ] {
        assert!(page.text.contains(shown), "{shown}: {}", page.text);
    }

    let client = no_redirects();
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let request = client.post(app.url(&link)).form(&fields);
        async move { app.send(request).await }
    };
    for fields in [
        vec![("consent", "yes")],
        vec![("name", "James Miller")],
        vec![("name", "   "), ("consent", "yes")],
    ] {
        let refused = post(fields.clone()).await;
        assert_eq!(refused.status, 400, "{fields:?}: {}", refused.text);
        assert!(refused.text.contains("role=\"alert\""));
    }
    let escaped = post(vec![("name", "<b>J</b>")]).await;
    assert!(
        escaped.text.contains("value=\"&lt;b&gt;J&lt;/b&gt;\""),
        "{}",
        escaped.text
    );
    let signed = post(vec![("name", " James Miller "), ("consent", "yes")]).await;
    assert_eq!(signed.status, 303, "{}", signed.text);
    let shown = app.send(app.client.get(app.url(&link))).await;
    assert!(
        shown.text.contains("Signed by James Miller on"),
        "{}",
        shown.text
    );
    assert!(!shown.text.contains("<form"));
    let twice = post(vec![("name", "Someone Else"), ("consent", "yes")]).await;
    assert_eq!(twice.status, 409, "{}", twice.text);
    let records = demo.records(&waiver_id).await;
    let james_record = records
        .iter()
        .find(|r| r["agreementRecordId"] == record.as_str())
        .unwrap();
    assert_eq!(james_record["signedStatus"], "SIGNED");
    assert_eq!(james_record["signature"], "James Miller");
    assert!(james_record["signedTime"].is_string());

    // FOR_FIRST: the signature stands for later links, until the operator requires signing
    // again; an edit of the text moves lastEditTime, and only then.
    let (after, _) = demo.signed_link(&waiver_id, &james, &demo.mission).await;
    assert_eq!(after, record, "signed once is enough");
    let before = demo.get(&waiver_id).await.body;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let same_text = demo.edit_waiver(
        &waiver_id,
        "<h3>Grooming Service Waiver</h3><p>Grooming can reveal <strong>existing health conditions</strong> (skin irritation, matting, lumps). We will tell you what we find.</p><ul><li>Severely matted coats may need to be shaved short.</li><li>Senior or anxious pets are groomed with breaks, which can take longer.</li></ul><p>In an emergency we take your pet to the nearest veterinarian at your cost.</p>",
        false,
    )
    .await;
    assert_eq!(same_text.status, 200, "{}", same_text.text);
    let unchanged = demo.get(&waiver_id).await.body;
    assert_eq!(unchanged["lastEditTime"], before["lastEditTime"]);
    assert_eq!(unchanged["lastRequiredTime"], before["lastRequiredTime"]);
    assert_ne!(unchanged["lastUpdatedTime"], before["lastUpdatedTime"]);
    let resign = demo
        .edit_waiver(&waiver_id, "<p>New terms.</p>", true)
        .await;
    assert_eq!(resign.status, 200, "{}", resign.text);
    let edited = demo.get(&waiver_id).await.body;
    assert_ne!(edited["lastEditTime"], before["lastEditTime"]);
    assert_ne!(edited["lastRequiredTime"], before["lastRequiredTime"]);
    let (fresh, fresh_link) = demo.signed_link(&waiver_id, &james, &demo.mission).await;
    assert_ne!(fresh, record, "signing again is required");
    let fresh_page = app.send(app.client.get(app.url(&fresh_link))).await;
    assert!(fresh_page.text.contains("New terms."));
    // The old record still shows what James signed.
    let old_page = app.send(app.client.get(app.url(&link))).await;
    assert!(old_page.text.contains("existing health conditions"));

    // OPTIONAL (like FOR_EACH): a signed record is not reused.
    let photo = demo.agreement("Photo Release").await;
    let photo_id = photo["id"].as_str().unwrap();
    let (first, photo_link) = demo.signed_link(photo_id, &emma, &demo.downtown).await;
    let (same, _) = demo.signed_link(photo_id, &emma, &demo.downtown).await;
    assert_eq!(
        first, same,
        "an unsigned record showing the same text is reused"
    );
    let signed = no_redirects()
        .post(app.url(&photo_link))
        .form(&[("name", "Emma Davis"), ("consent", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    let (next, _) = demo.signed_link(photo_id, &emma, &demo.downtown).await;
    assert_ne!(next, first);

    // Refusals of the API.
    let missing = demo
        .sign_link(&waiver_id, &format!("customerId={james}"))
        .await;
    assert_eq!(missing.status, 400, "{}", missing.text);
    assert!(missing.text.contains("businessId"));
    let rules = demo
        .admin(
            Method::POST,
            &format!("/moego/companies/{}/agreements", demo.company),
            Some(
                json!({"title": "Daycare Rules", "content": "<p>Play nicely.</p>",
                        "signedPolicy": "FOR_EACH", "businessIds": [demo.mission]}),
            ),
        )
        .await;
    let rules = rules.body["agreementId"].as_str().unwrap().to_string();
    let elsewhere = demo
        .sign_link(
            &rules,
            &format!("customerId={emma}&businessId={}", demo.downtown),
        )
        .await;
    assert_eq!(elsewhere.status, 400, "{}", elsewhere.text);
    assert_eq!(elsewhere.body["code"], 9, "FAILED_PRECONDITION");
    let (rules_record, rules_link) = demo.signed_link(&rules, &emma, &demo.mission).await;
    assert!(rules_record.starts_with("agrr_"));
    demo.admin(Method::DELETE, &format!("/moego/agreements/{rules}"), None)
        .await;
    let deleted = demo
        .sign_link(
            &rules,
            &format!("customerId={emma}&businessId={}", demo.mission),
        )
        .await;
    assert_eq!(deleted.body["code"], 9, "{}", deleted.text);
    let closed = no_redirects()
        .post(app.url(&rules_link))
        .form(&[("name", "Emma Davis"), ("consent", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        closed.status(),
        409,
        "a deleted agreement takes no signature"
    );
    let stranger = demo
        .sign_link(
            &waiver_id,
            &format!("customerId=cus_nope&businessId={}", demo.mission),
        )
        .await;
    assert_eq!(stranger.status, 400, "{}", stranger.text);
    let foreign = demo
        .app
        .moego_get(
            &demo.other_auth,
            &format!(
                "/v1/agreements/{waiver_id}/sign_link?customerId={james}&businessId={}",
                demo.mission
            ),
        )
        .await;
    assert_eq!(foreign.status, 403, "{}", foreign.text);

    // Changed and expired links.
    let record_path = link.split('?').next().unwrap().to_string();
    let unsigned = app.send(app.client.get(app.url(&record_path))).await;
    assert_eq!(unsigned.status, 403);
    let swapped = fresh_link.replace(&fresh, &record);
    assert_eq!(
        app.send(app.client.get(app.url(&swapped))).await.status,
        403
    );
    let expired = app
        .state
        .links
        .sign(&record_path, chrono::Utc::now().timestamp() - 1);
    let gone = app.send(app.client.get(app.url(&expired))).await;
    assert_eq!(gone.status, 410, "{}", gone.text);
    assert!(gone.text.contains("expired"));
}

#[tokio::test]
async fn a_customer_signs_in_headless_chromium() {
    let demo = demo().await;
    let waiver = demo.agreement("Grooming Service Waiver").await;
    let sophia = demo.customer("Sophia").await;
    let (record, link) = demo
        .signed_link(waiver["id"].as_str().unwrap(), &sophia, &demo.mission)
        .await;

    let driver = Driver::start().await;
    let browser = driver.browser().await;
    browser.goto(&demo.app.url(&link)).await.unwrap();
    common::browser::type_into(&browser, "name", "Sophia Lopez").await;
    click(&browser, "input[name=consent]").await;
    click(&browser, "button[type=submit]").await;
    let mut done = String::new();
    for _ in 0..100 {
        done = browser.source().await.unwrap();
        if done.contains("Signed by") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done.contains("Signed by Sophia Lopez"), "{done}");
    browser.close().await.unwrap();

    let records = demo.records(waiver["id"].as_str().unwrap()).await;
    let signed = records
        .iter()
        .find(|r| r["agreementRecordId"] == record.as_str())
        .unwrap();
    assert_eq!(signed["signedStatus"], "SIGNED");
    assert_eq!(signed["signature"], "Sophia Lopez");
}
