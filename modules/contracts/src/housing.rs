//! Events the housing module publishes. None carries the owner's name or phone.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DomainEvent, event};

/// Every topic the housing module publishes.
pub const TOPICS: &[&str] = &[HouseWorsened::TOPIC];

/// 危房监测发现加剧 — a monitor found a dangerous house worse than at the last visit: the
/// township and the commission's housing staff act at once (evacuation, closure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HouseWorsened {
    /// 监测记录 (monitoring log id)
    pub log_id: Uuid,
    /// 房屋 (house id)
    pub house_id: Uuid,
    /// 乡镇（街道）(township id)
    pub township_id: Uuid,
    /// 监测员账号 (the monitor's account id)
    pub monitor_account_id: Uuid,
    /// 地址 (the house's address)
    pub address: String,
    /// 监测读数 (the readings, as the monitor wrote them)
    pub readings: String,
}
event!(HouseWorsened, "housing.house_worsened", v 1, "HouseMonitoringLog", log_id);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::{round_trip, unique};

    #[test]
    fn housing_events_round_trip_with_their_documented_names() {
        unique(TOPICS);
        let (l, h, t, m) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        round_trip(
            "housing",
            TOPICS,
            HouseWorsened {
                log_id: l,
                house_id: h,
                township_id: t,
                monitor_account_id: m,
                address: "幸福村3组12号".into(),
                readings: "北墙裂缝由3毫米增至6毫米".into(),
            },
            json!({ "logId": l, "houseId": h, "townshipId": t, "monitorAccountId": m,
                    "address": "幸福村3组12号", "readings": "北墙裂缝由3毫米增至6毫米" }),
        );
    }
}
