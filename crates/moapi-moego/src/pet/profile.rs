//! What pet filters read of pets (a membership's benefits, a service's pet filters): each
//! pet's type, breed, coat, weight and codes, with the company's size and coat catalogs, and
//! the tests those filters make. Names compare without regard to case.

use moapi_core::Status;
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use crate::pet::store::PetRow;

/// A pet as filters see it.
#[derive(Debug, Clone)]
pub struct PetProfile {
    pub id: i64,
    pub pet_type: String,
    pub breed: String,
    pub coat: String,
    /// Its weight in pounds, when known.
    pub pounds: Option<Decimal>,
    /// Its pet codes' IDs.
    pub codes: Vec<i64>,
}

impl PetProfile {
    /// A pet not (yet) stored, as described: its type, breed and weight.
    pub fn described(
        pet_type: crate::pet::wire::PetType,
        breed: &str,
        weight: Option<(u32, crate::pet::wire::WeightUnit)>,
    ) -> PetProfile {
        PetProfile {
            id: 0,
            pet_type: pet_type.name().to_string(),
            breed: breed.trim().to_string(),
            coat: String::new(),
            pounds: weight.map(|(value, unit)| pounds(i64::from(value), unit.name())),
            codes: Vec::new(),
        }
    }

    /// A pet already read, with its pet codes (one statement).
    pub async fn of(conn: &mut AnyConnection, pet: &PetRow) -> Result<PetProfile, sqlx::Error> {
        let codes: Vec<(i64,)> =
            sqlx::query_as("SELECT pet_code_id FROM moego_pet_code_links WHERE pet_id = $1")
                .bind(pet.id)
                .fetch_all(conn)
                .await?;
        Ok(PetProfile {
            id: pet.id,
            pet_type: pet.pet_type.clone(),
            breed: pet.breed.clone(),
            coat: pet.coat.clone(),
            pounds: pet
                .weight_value
                .map(|weight| pounds(weight, &pet.weight_unit)),
            codes: codes.into_iter().map(|(code,)| code).collect(),
        })
    }
}

/// Some pets of a company with the company's size and coat catalogs.
#[derive(Debug, Default)]
pub struct PetProfiles {
    pets: Vec<PetProfile>,
    /// (id, lowest and highest weight in pounds)
    sizes: Vec<(i64, Decimal, Decimal)>,
    /// (id, name)
    coats: Vec<(i64, String)>,
}

/// A weight in pounds, from a value and a WeightUnit name (pounds when unspecified).
pub fn pounds(value: i64, unit: &str) -> Decimal {
    let value = Decimal::from(value);
    match unit {
        "KILOGRAM" => value * Decimal::new(220_462, 5),
        _ => value,
    }
}

impl PetProfiles {
    /// Reads the pets (those not found are left out) and the company's catalogs.
    pub async fn load(
        conn: &mut AnyConnection,
        company_id: i64,
        pet_ids: &[i64],
    ) -> Result<PetProfiles, Status> {
        let mut pets = Vec::with_capacity(pet_ids.len());
        for pet in crate::pet::store::find_many(conn, pet_ids).await? {
            pets.push(PetProfile::of(conn, &pet).await?);
        }
        let sizes: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT id, weight_low, weight_high, weight_unit FROM moego_pet_sizes \
             WHERE company_id = $1",
        )
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
        let coats: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM moego_pet_coat_types WHERE company_id = $1")
                .bind(company_id)
                .fetch_all(&mut *conn)
                .await?;
        Ok(PetProfiles {
            pets,
            sizes: sizes
                .into_iter()
                .map(|(id, low, high, unit)| (id, pounds(low, &unit), pounds(high, &unit)))
                .collect(),
            coats,
        })
    }

    pub fn pet(&self, pet_id: i64) -> Option<&PetProfile> {
        self.pets.iter().find(|pet| pet.id == pet_id)
    }

    /// Whether one of the listed breed entries `(pet type name, all its breeds, breeds)` names
    /// the pet's type and breed.
    pub fn breed_listed<'a>(
        pet: &PetProfile,
        entries: impl IntoIterator<Item = (&'a str, bool, &'a [String])>,
    ) -> bool {
        entries.into_iter().any(|(pet_type, all, breeds)| {
            pet_type.eq_ignore_ascii_case(&pet.pet_type)
                && (all || breeds.iter().any(|b| b.eq_ignore_ascii_case(&pet.breed)))
        })
    }

    /// Whether the pet's weight lies within one of the sizes listed.
    pub fn fits_size(&self, pet: &PetProfile, sizes: &[i64]) -> bool {
        pet.pounds.is_some_and(|weight| {
            self.sizes
                .iter()
                .any(|(id, low, high)| sizes.contains(id) && *low <= weight && weight <= *high)
        })
    }

    /// Whether the pet's coat is one of the coat types listed.
    pub fn coat_listed(&self, pet: &PetProfile, coats: &[i64]) -> bool {
        self.coats
            .iter()
            .any(|(id, name)| coats.contains(id) && name.eq_ignore_ascii_case(&pet.coat))
    }
}
