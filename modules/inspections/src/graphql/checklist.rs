//! Checklist templates as typed GraphQL (JGJ 59-2011 and later versions, as stored from the rules
//! data of [`crate::rules::jgj59`]), and a scored inspection's answers as recorded.
use async_graphql::{Object, SimpleObject};

use crate::rules::jgj59::{self, Template};
use crate::service::inspection::Checklist;

/// 检查表模板 — a stored checklist template: the summary sheet's items with their weights, and
/// the sub-sheets with their items.
pub struct ChecklistTemplate {
    /// The stored version (what `templateVersion` of a checklist names).
    pub version: i32,
    pub template: Template,
}

/// 检查表模板 — a stored checklist template: the summary sheet's items with their weights, and
/// the sub-sheets with their items.
#[Object]
impl ChecklistTemplate {
    /// 模板代码，如 JGJ59-2011 (template code)
    async fn code(&self) -> &str {
        &self.template.code
    }
    /// 模板版本（记录检查时的 templateVersion）(the stored version, as `templateVersion` names it)
    async fn version(&self) -> i32 {
        self.version
    }
    /// 标准名称 (title of the standard)
    async fn name(&self) -> &str {
        &self.template.name
    }
    /// 汇总表各分项及其满分值，按表A顺序 (the summary sheet's items and weights, in the order of
    /// table A; weights sum to 100)
    async fn summary_items(&self) -> Vec<ChecklistSummaryItem> {
        self.template
            .summary_items
            .iter()
            .map(|s| ChecklistSummaryItem {
                code: s.code.clone(),
                name: s.name.clone(),
                weight: s.weight,
            })
            .collect()
    }
    /// 分项检查评分表，按附录B顺序 (the sub-sheets, in the order of appendix B)
    async fn sheets(&self) -> Vec<ChecklistTemplateSheet> {
        self.template.sheets.iter().map(sheet_of).collect()
    }
}

fn sheet_of(s: &jgj59::Sheet) -> ChecklistTemplateSheet {
    ChecklistTemplateSheet {
        code: s.code.clone(),
        table: s.table.clone(),
        name: s.name.clone(),
        summary_item: s.summary_item.clone(),
        total_points: s.total_points(),
        guaranteed_points: s.guaranteed_points(),
        items: s
            .items
            .iter()
            .map(|i| ChecklistTemplateItem {
                code: i.code.clone(),
                name: i.name.clone(),
                guaranteed: i.guaranteed,
                points: i.points,
                criteria: i.criteria.clone(),
            })
            .collect(),
    }
}

/// 汇总表分项 — an item of the summary sheet (表A) and its weight.
#[derive(SimpleObject)]
pub struct ChecklistSummaryItem {
    /// 代码 (code, e.g. `scaffolding`)
    pub code: String,
    /// 名称 (name, e.g. 脚手架)
    pub name: String,
    /// 满分值（权重）(weight in points)
    pub weight: u32,
}

/// 分项检查评分表 — a sub-sheet of a template.
#[derive(SimpleObject)]
pub struct ChecklistTemplateSheet {
    /// 代码（答卷中的 sheet）(code, as a checklist's `sheet` names it)
    pub code: String,
    /// 附录B表号，如 B.1 (table number in appendix B)
    pub table: String,
    /// 名称 (name)
    pub name: String,
    /// 计入的汇总表分项代码 (code of the summary item it feeds)
    pub summary_item: String,
    /// 满分（100）(full points: 100)
    pub total_points: u32,
    /// 保证项目满分（60；无保证项目的表为0）(full points of the guaranteed items: 60, or 0 on a sheet
    /// without guaranteed items)
    pub guaranteed_points: u32,
    /// 检查项目，按序号 (the items, in order)
    pub items: Vec<ChecklistTemplateItem>,
}

/// 检查项目 — an item of a sub-sheet.
#[derive(SimpleObject)]
pub struct ChecklistTemplateItem {
    /// 序号（答卷中的 item）(number on the sheet, as a checklist's `item` names it)
    pub code: String,
    /// 名称 (name)
    pub name: String,
    /// 保证项目（否则为一般项目）；保证项目应全数检查 (a guaranteed item, otherwise a general one;
    /// every guaranteed item of an applicable sheet must be answered)
    pub guaranteed: bool,
    /// 应得分数 (full points)
    pub points: u32,
    /// 扣分标准摘要（非原文）(summary of the deduction criteria; not a quotation)
    pub criteria: String,
}

/// 检查表答卷 — a scored inspection's checklist as recorded.
pub struct InspectionChecklist {
    pub checklist: Checklist,
    /// The stored template version the inspection was scored with.
    pub template_version: Option<i32>,
}

/// 检查表答卷 — a scored inspection's checklist as recorded.
#[Object]
impl InspectionChecklist {
    /// 模板代码 (template code)
    async fn template_code(&self) -> &str {
        &self.checklist.template_code
    }
    /// 评分所用的模板版本 (the template version it was scored with)
    async fn template_version(&self) -> Option<i32> {
        self.template_version.or(self.checklist.template_version)
    }
    /// 填报的分项表，按填报顺序；未填报的分项表为缺项 (the sheets answered, in the order given; a
    /// sheet not answered is not applicable)
    async fn sheets(&self) -> Vec<ChecklistSheetAnswer> {
        self.checklist
            .sheets
            .iter()
            .map(|s| ChecklistSheetAnswer {
                sheet: s.sheet.clone(),
                not_applicable: s.not_applicable,
                items: s
                    .items
                    .iter()
                    .map(|i| ChecklistItemAnswer {
                        item: i.item.clone(),
                        deduction: i.deduction,
                        not_applicable: i.not_applicable,
                        note: i.note.clone(),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// 分项表答卷 — one sheet's answers as recorded.
#[derive(SimpleObject)]
pub struct ChecklistSheetAnswer {
    /// 分项表代码 (sheet code)
    pub sheet: String,
    /// 整张表不适用 (the whole sheet was answered as not applicable)
    pub not_applicable: bool,
    /// 填报的检查项目，按填报顺序；未填报的一般项目视为未扣分 (the items answered, in the order
    /// given; a general item not answered counts as checked without deduction)
    pub items: Vec<ChecklistItemAnswer>,
}

/// 检查项目答卷 — one item's answer as recorded.
#[derive(SimpleObject)]
pub struct ChecklistItemAnswer {
    /// 检查项目序号 (item code)
    pub item: String,
    /// 扣分（整数分，按填报；超过应得分的按应得分计，见评分的 clamped）(points deducted as given; more
    /// than the item's points counts as its points, see the score's `clamped`)
    pub deduction: i32,
    /// 缺项 (not applicable)
    pub not_applicable: bool,
    /// 说明 (note)
    pub note: Option<String>,
}
