//! The operations of the mix, their report groups and weights.

/// An operation of the mix: its vendor operation ID, its report group and its weight (its
/// share of the requests is its weight over the sum of all weights).
pub(super) struct Spec {
    pub(super) op: Op,
    pub(super) name: &'static str,
    pub(super) group: &'static str,
    pub(super) weight: u32,
}

/// The operations, in a `Op` enum and in `MIX`, in the same order.
macro_rules! mix {
    ($($op:ident $name:literal $group:ident $weight:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) enum Op { $($op,)* }

        pub(super) const MIX: &[Spec] = &[
            $(Spec { op: Op::$op, name: $name, group: $group, weight: $weight },)*
        ];
    };
}

pub(super) const DIRECTORY: &str = "MoeGo companies, businesses, staff (read)";
pub(super) const CUSTOMERS_READ: &str = "MoeGo customers, notes, tags, client lookup (read)";
pub(super) const CUSTOMERS_WRITE: &str = "MoeGo customers, notes, tags (write)";
pub(super) const PETS_READ: &str = "MoeGo pets, pet notes (read)";
pub(super) const PETS_WRITE: &str = "MoeGo pets, notes, codes (write)";
pub(super) const LEADS_READ: &str = "MoeGo leads (read)";
pub(super) const LEADS_WRITE: &str = "MoeGo leads, promotion (write)";
pub(super) const SETTINGS_READ: &str = "MoeGo settings catalogs, lodgings, services (read)";
pub(super) const SETTINGS_WRITE: &str = "MoeGo services (write)";
pub(super) const APPOINTMENTS_READ: &str =
    "MoeGo appointments list, get, check, notes, reports (read)";
pub(super) const APPOINTMENTS_WRITE: &str =
    "MoeGo appointments create, notes, status, cancel, reschedule (write)";
pub(super) const BLOCKS_READ: &str = "MoeGo blocks (read)";
pub(super) const BLOCKS_WRITE: &str = "MoeGo blocks (write)";
pub(super) const ORDERS_READ: &str = "MoeGo orders, line items, discounts, payments (read)";
pub(super) const WEBHOOKS_READ: &str = "MoeGo webhooks, deliveries (read)";
pub(super) const WEBHOOKS_WRITE: &str = "MoeGo webhooks (write)";
pub(super) const TRIPS_READ: &str = "MOGU trips list, get, config, visualizations (read)";
pub(super) const TRIPS_WRITE: &str = "MOGU trips create, patch, config, visibility (write)";
pub(super) const CATALOGS_READ: &str = "MOGU catalogs (read)";
pub(super) const CATALOGS_WRITE: &str = "MOGU catalogs (write)";
pub(super) const JOBS_READ: &str = "MOGU AI job status (read)";

mix! {
    ListCompanies "CompanyService_ListCompanies" DIRECTORY 8,
    GetCompany "CompanyService_GetCompany" DIRECTORY 8,
    ListBusinesses "BusinessService_ListBusiness" DIRECTORY 8,
    GetBusiness "BusinessService_GetBusiness" DIRECTORY 8,
    ListStaffs "StaffService_ListStaffs" DIRECTORY 10,
    GetStaff "StaffService_GetStaff" DIRECTORY 8,
    ListCustomers "CustomerService_ListCustomers" CUSTOMERS_READ 40,
    GetCustomer "CustomerService_GetCustomer" CUSTOMERS_READ 40,
    ListCustomerNotes "CustomerService_ListCustomerNotes" CUSTOMERS_READ 12,
    ListCustomerTags "CustomerService_ListCustomerTags" CUSTOMERS_READ 8,
    LookupClientPetProfile "AggregationService_LookupClientPetProfile" CUSTOMERS_READ 10,
    CreateCustomer "CustomerService_CreateCustomer" CUSTOMERS_WRITE 10,
    UpdateCustomer "CustomerService_UpdateCustomer" CUSTOMERS_WRITE 8,
    AppendCustomerNotes "CustomerService_AppendCustomerNotes" CUSTOMERS_WRITE 8,
    UpdateCustomerNote "CustomerService_UpdateCustomerNote" CUSTOMERS_WRITE 4,
    DeleteCustomerNote "CustomerService_DeleteCustomerNote" CUSTOMERS_WRITE 3,
    AppendCustomerTags "CustomerService_AppendCustomerTags" CUSTOMERS_WRITE 4,
    ListPets "PetService_ListPets" PETS_READ 15,
    ListAllPets "PetService_ListAllPets" PETS_READ 15,
    GetPet "PetService_GetPet" PETS_READ 25,
    ListPetNotes "PetService_ListPetNotes" PETS_READ 8,
    CreatePet "PetService_CreatePet" PETS_WRITE 5,
    UpdatePet "PetService_UpdatePet" PETS_WRITE 5,
    AppendPetNotes "PetService_AppendPetNotes" PETS_WRITE 4,
    AppendPetCodes "PetService_AppendPetCodes" PETS_WRITE 3,
    DeletePetCode "PetService_DeletePetCode" PETS_WRITE 3,
    ListLeads "LeadService_ListLeads" LEADS_READ 8,
    GetLead "LeadService_GetLead" LEADS_READ 8,
    CreateLead "LeadService_CreateLead" LEADS_WRITE 4,
    UpdateLead "LeadService_UpdateLead" LEADS_WRITE 3,
    PromoteLead "LeadService_PromoteLead" LEADS_WRITE 2,
    ListSettingsCatalog "SettingService_List{CustomFields,...,PetTypes}" SETTINGS_READ 30,
    ListLodgings "SettingService_ListLodgings" SETTINGS_READ 4,
    ListServices "SettingService_ListServices" SETTINGS_READ 12,
    GetService "SettingService_GetService" SETTINGS_READ 8,
    CreateService "SettingService_CreateService" SETTINGS_WRITE 2,
    UpdateService "SettingService_UpdateService" SETTINGS_WRITE 2,
    ListAppointments "AppointmentService_ListAppointments" APPOINTMENTS_READ 60,
    GetAppointment "AppointmentService_GetAppointment" APPOINTMENTS_READ 45,
    CheckAvailability "AppointmentService_CheckAppointmentAvailability" APPOINTMENTS_READ 25,
    ListAppointmentNotes "AppointmentService_ListAppointmentNotes" APPOINTMENTS_READ 8,
    ListGroomingReports "AppointmentService_ListGroomingReports" APPOINTMENTS_READ 4,
    CreateAppointment "AppointmentService_CreateAppointment" APPOINTMENTS_WRITE 20,
    CreateAppointmentNote "AppointmentService_CreateAppointmentNote" APPOINTMENTS_WRITE 5,
    UpdateAppointmentNote "AppointmentService_UpdateAppointmentNote" APPOINTMENTS_WRITE 3,
    UpdateAppointmentStatus "AppointmentService_UpdateAppointmentStatus" APPOINTMENTS_WRITE 12,
    CancelAppointment "AppointmentService_CancelAppointment" APPOINTMENTS_WRITE 3,
    RescheduleAppointment "AppointmentService_RescheduleAppointment" APPOINTMENTS_WRITE 6,
    ListBlocks "BlockService_ListBlocks" BLOCKS_READ 8,
    GetBlock "BlockService_GetBlock" BLOCKS_READ 8,
    CreateBlock "BlockService_CreateBlock" BLOCKS_WRITE 3,
    DeleteBlock "BlockService_DeleteBlock" BLOCKS_WRITE 3,
    ListOrders "OrderService_ListOrders" ORDERS_READ 25,
    GetOrder "OrderService_GetOrder" ORDERS_READ 20,
    ListOrderLineItems "OrderService_ListOrderLineItems" ORDERS_READ 8,
    ListOrderDiscounts "OrderService_ListOrderDiscounts" ORDERS_READ 5,
    ListPayments "PaymentService_ListPayments" ORDERS_READ 10,
    GetPayment "PaymentService_GetPayment" ORDERS_READ 10,
    ListWebhooks "WebhookService_ListWebhooks" WEBHOOKS_READ 5,
    GetWebhook "WebhookService_GetWebhook" WEBHOOKS_READ 5,
    ListWebhookDeliveries "WebhookService_ListWebhookDeliveries" WEBHOOKS_READ 4,
    CreateWebhook "WebhookService_CreateWebhook" WEBHOOKS_WRITE 1,
    DeleteWebhook "WebhookService_DeleteWebhook" WEBHOOKS_WRITE 1,
    GetTrips "getTrips" TRIPS_READ 70,
    GetTripById "getTripById" TRIPS_READ 55,
    GetTripConfig "getTripConfig" TRIPS_READ 25,
    GetTripVisualizations "getTripVisualizations" TRIPS_READ 4,
    CreateTrip "createTrip" TRIPS_WRITE 8,
    UpdateTrip "updateTrip" TRIPS_WRITE 8,
    UpdateTripConfig "updateTripConfig" TRIPS_WRITE 8,
    SetTripVisibility "setTripVisibility" TRIPS_WRITE 3,
    GetCatalogs "getCatalogs" CATALOGS_READ 10,
    GetCatalogById "getCatalogById" CATALOGS_READ 8,
    GetCatalogTrips "getCatalogTrips" CATALOGS_READ 10,
    UpdateCatalog "updateCatalog" CATALOGS_WRITE 2,
    GetJobStatus "getJobStatus" JOBS_READ 8,
}

pub(super) fn spec_of(op: Op) -> &'static Spec {
    &MIX[op as usize]
}

pub(super) fn is_write(op: Op) -> bool {
    spec_of(op).group.ends_with("(write)")
}
