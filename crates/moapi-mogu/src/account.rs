//! MOGU accounts and their agents, as the operator creates and lists them (the public API has
//! no such operations). An agent belongs to one account; API keys and trips belong to agents.
//! Emails are stored trimmed and in lower case, so a lookup finds an agent however the
//! operator spells the address.

use moapi_core::time::{iso_millis, now_micros};
use serde::Serialize;
use sqlx::AnyConnection;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    pub id: i64,
    pub account_id: i64,
    pub email: String,
    pub name: String,
    pub picture_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub agents: Vec<Agent>,
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub async fn create_account(conn: &mut AnyConnection, name: &str) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO mogu_accounts (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(now_micros())
            .fetch_one(&mut *conn)
            .await?;
    Ok(id)
}

/// Adds an agent to an account. Fails with a unique violation when the email is taken.
pub async fn create_agent(
    conn: &mut AnyConnection,
    account_id: i64,
    email: &str,
    name: &str,
    picture_url: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mogu_agents (account_id, email, name, picture_url, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(normalise_email(email))
    .bind(name)
    .bind(picture_url)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

const AGENT_COLUMNS: &str = "id, account_id, email, name, picture_url";

pub async fn find_agent_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<Agent>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {AGENT_COLUMNS} FROM mogu_agents WHERE email = $1"
    ))
    .bind(normalise_email(email))
    .fetch_optional(&mut *conn)
    .await
}

/// Every account with its agents, oldest first.
pub async fn list_accounts(conn: &mut AnyConnection) -> Result<Vec<AccountSummary>, sqlx::Error> {
    let accounts: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT id, name, created_at FROM mogu_accounts ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let mut agents: Vec<Agent> = sqlx::query_as(&format!(
        "SELECT {AGENT_COLUMNS} FROM mogu_agents ORDER BY account_id, id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok(accounts
        .into_iter()
        .map(|(id, name, created_at)| {
            // Agents are sorted by account, so each account's agents lead the remaining list.
            let owned = agents.partition_point(|agent| agent.account_id == id);
            AccountSummary {
                id,
                name,
                created_at: iso_millis(created_at),
                agents: agents.drain(..owned).collect(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestDb;

    #[tokio::test]
    async fn agents_are_found_by_email_in_any_case_and_listed_under_their_account() {
        let test = TestDb::new().await;
        let mut db = test.state.db.conn();
        let db = db.get().await.unwrap();
        let travel = create_account(db, "Travel Dreams").await.unwrap();
        let empty = create_account(db, "Empty").await.unwrap();
        let tours = create_account(db, "Tours").await.unwrap();
        let ann = create_agent(
            db,
            travel,
            " Ann@Example.com ",
            "Ann",
            Some("https://cdn.example/ann.png"),
        )
        .await
        .unwrap();
        let bob = create_agent(db, tours, "bob@example.com", "Bob", None)
            .await
            .unwrap();
        let cid = create_agent(db, travel, "cid@example.com", "Cid", None)
            .await
            .unwrap();

        let found = find_agent_by_email(db, "ANN@example.COM")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.id, found.account_id, found.email.as_str()),
            (ann, travel, "ann@example.com")
        );
        assert!(find_agent_by_email(db, "nobody@example.com")
            .await
            .unwrap()
            .is_none());
        let taken = create_agent(db, tours, "ANN@example.com", "Other Ann", None)
            .await
            .unwrap_err();
        assert!(taken
            .as_database_error()
            .is_some_and(|err| err.is_unique_violation()));

        let accounts = list_accounts(db).await.unwrap();
        let listing: Vec<(i64, Vec<i64>)> = accounts
            .iter()
            .map(|account| {
                (
                    account.id,
                    account.agents.iter().map(|agent| agent.id).collect(),
                )
            })
            .collect();
        assert_eq!(
            listing,
            [
                (travel, vec![ann, cid]),
                (empty, vec![]),
                (tours, vec![bob])
            ]
        );
        let json = serde_json::to_value(&accounts[0]).unwrap();
        assert_eq!(
            json["agents"][0]["pictureUrl"],
            "https://cdn.example/ann.png"
        );
        assert_eq!(json["agents"][0]["accountId"], travel);
        assert!(json["createdAt"].as_str().unwrap().ends_with('Z'));
    }
}
