//! The validator: walks a compiled schema over a JSON instance and builds
//! the error tree in the shape (and keyword order) of santhosh-tekuri/
//! jsonschema v6. Go iterates maps in random order; pchart visits object
//! keys in sorted order.

use std::collections::BTreeSet;
use std::rc::Rc;

use super::json::{J, equals};
use super::node::{Additional, Compiled, Dep, Items, Node};
use super::output::{Kind, VErr};

/// Deepest chain of schema scopes followed before giving up (each level
/// of nesting in the values costs one or two scopes; real values stay far
/// below this, and it keeps the native stack bounded).
const MAX_SCOPES: usize = 5000;

struct Scope {
    node: usize,
    ref_kw: Option<&'static str>,
    vid: usize,
    parent: Option<Rc<Scope>>,
    depth: usize,
}

#[derive(Default, Clone)]
struct Uneval {
    props: BTreeSet<String>,
    items: BTreeSet<usize>,
}

impl Uneval {
    fn from(v: &J, n: &Node, caller_needs: bool) -> Uneval {
        let mut u = Uneval::default();
        match v {
            J::Obj(m)
                if !n.all_props_evaluated
                    && (caller_needs || n.unevaluated_properties.is_some()) =>
            {
                u.props = m.keys().cloned().collect();
            }
            J::Arr(a)
                if !n.all_items_evaluated
                    && (caller_needs || n.unevaluated_items.is_some())
                    && n.num_items_evaluated < a.len() =>
            {
                u.items = (n.num_items_evaluated..a.len()).collect();
            }
            _ => {}
        }
        u
    }
    fn is_empty(&self) -> bool {
        self.props.is_empty() && self.items.is_empty()
    }
    fn merge(&mut self, other: &Uneval) {
        self.props.retain(|k| other.props.contains(k));
        self.items.retain(|i| other.items.contains(i));
    }
}

struct Vd<'a> {
    c: &'a Compiled,
    v: &'a J,
    vloc: Vec<String>,
    node: usize,
    scope: Rc<Scope>,
    uneval: Uneval,
    errors: Vec<VErr>,
}

/// Validates `v`; `None` when valid, else the root error (kind `Schema`).
pub fn validate_j(c: &Compiled, v: &J) -> Option<VErr> {
    let root = c.root;
    validate_at(c, root, v).map(|causes| VErr {
        loc: Vec::new(),
        kind: Kind::Schema(c.nodes[root].loc.clone()),
        causes,
    })
}

/// A fresh validation of `v` against node `n`: the root error's causes.
fn validate_at(c: &Compiled, n: usize, v: &J) -> Option<Vec<VErr>> {
    let mut vd = Vd {
        c,
        v,
        vloc: Vec::new(),
        node: n,
        scope: Rc::new(Scope {
            node: n,
            ref_kw: None,
            vid: 0,
            parent: None,
            depth: 0,
        }),
        uneval: Uneval::from(v, &c.nodes[n], false),
        errors: Vec::new(),
    };
    match vd.validate() {
        Ok(_) => None,
        Err(e) => Some(if matches!(e.kind, Kind::Group) {
            e.causes
        } else {
            vec![e]
        }),
    }
}

fn kw_loc(c: &Compiled, mut sc: &Scope) -> String {
    let mut loc = String::new();
    while let Some(p) = &sc.parent {
        if let Some(kw) = sc.ref_kw {
            loc = format!("/{kw}{loc}");
        } else {
            let cur = &c.nodes[sc.node].loc;
            let par = &c.nodes[p.node].loc;
            loc = format!("{}{loc}", cur.get(par.len()..).unwrap_or(""));
        }
        sc = p;
    }
    loc
}

impl<'a> Vd<'a> {
    fn n(&self) -> &'a Node {
        &self.c.nodes[self.node]
    }

    fn err(&self, kind: Kind) -> VErr {
        VErr {
            loc: self.vloc.clone(),
            kind,
            causes: Vec::new(),
        }
    }
    fn add(&mut self, kind: Kind) {
        let e = self.err(kind);
        self.errors.push(e);
    }
    fn add_errs(&mut self, causes: Vec<VErr>, kind: Kind) {
        let mut e = self.err(kind);
        e.causes = causes;
        self.errors.push(e);
    }

    fn validate(&mut self) -> Result<Uneval, VErr> {
        let n = self.n();
        if let Some(b) = n.boolean {
            return if b {
                Ok(std::mem::take(&mut self.uneval))
            } else {
                Err(self.err(Kind::FalseSchema))
            };
        }
        // cycle
        {
            let mut p = self.scope.parent.clone();
            while let Some(s) = p {
                if s.vid != self.scope.vid {
                    break;
                }
                if s.node == self.node {
                    return Err(self.err(Kind::RefCycle {
                        url: n.loc.clone(),
                        kw1: kw_loc(self.c, &self.scope),
                        kw2: kw_loc(self.c, &s),
                    }));
                }
                p = s.parent.clone();
            }
        }
        if self.scope.depth > MAX_SCOPES {
            return Err(self.err(Kind::TooDeep));
        }
        let v = self.v;
        if let J::Invalid(t) = v {
            return Err(self.err(Kind::InvalidJson(t.clone())));
        }
        // type
        if !n.types.is_empty() {
            let t = v.type_name();
            let ok = n.types.contains(&t)
                || (n.types.contains(&"integer") && matches!(v, J::Num(x) if x.is_integer()));
            if !ok {
                return Err(self.err(Kind::Type {
                    got: t,
                    want: n.types.clone(),
                }));
            }
        }
        if let Some(c) = &n.const_
            && !equals(v, c)
        {
            return Err(self.err(Kind::Const(c.clone())));
        }
        if let Some(e) = &n.enum_
            && !e.iter().any(|x| equals(v, x))
        {
            return Err(self.err(Kind::Enum(e.clone())));
        }
        if let (Some(f), J::Str(s)) = (&n.format, v)
            && let Err(reason) = super::formats::check(f, s)
        {
            return Err(self.err(Kind::Format {
                got: v.clone(),
                want: f.clone(),
                err: reason,
            }));
        }
        if let Some(r) = n.ref_ {
            let res = self.validate_ref(r, "$ref");
            if n.draft < 2019 {
                return match res {
                    Some(e) => Err(e),
                    None => Ok(std::mem::take(&mut self.uneval)),
                };
            }
            if let Some(e) = res {
                self.errors.push(e);
            }
        }
        match v {
            J::Obj(m) => self.obj_validate(m),
            J::Arr(a) => self.arr_validate(a),
            J::Str(s) => self.str_validate(s),
            J::Num(x) => self.num_validate(x),
            _ => {}
        }
        if n.draft >= 2019 {
            self.validate_refs();
        }
        self.cond_validate();
        if n.draft >= 2019 {
            self.uneval_validate();
        }
        match self.errors.len() {
            0 => Ok(std::mem::take(&mut self.uneval)),
            1 => Err(self.errors.pop().unwrap_or_else(|| self.err(Kind::Group))),
            _ => {
                let mut e = self.err(Kind::Group);
                e.causes = std::mem::take(&mut self.errors);
                Err(e)
            }
        }
    }

    fn sub(
        &self,
        node: usize,
        v: &'a J,
        tok: Option<String>,
        ref_kw: Option<&'static str>,
    ) -> Vd<'a> {
        let mut vloc = self.vloc.clone();
        let vid = match tok {
            Some(t) => {
                vloc.push(t);
                self.scope.vid + 1
            }
            None => self.scope.vid,
        };
        Vd {
            c: self.c,
            v,
            vloc,
            node,
            scope: Rc::new(Scope {
                node,
                ref_kw,
                vid,
                parent: Some(self.scope.clone()),
                depth: self.scope.depth + 1,
            }),
            uneval: Uneval::default(),
            errors: Vec::new(),
        }
    }

    /// `validateSelf`: the same value against another schema.
    fn validate_self(&mut self, node: usize, ref_kw: Option<&'static str>) -> Option<VErr> {
        let mut s = self.sub(node, self.v, None, ref_kw);
        s.uneval = Uneval::from(self.v, &self.c.nodes[node], !self.uneval.is_empty());
        match s.validate() {
            Ok(u) => {
                self.uneval.merge(&u);
                None
            }
            Err(e) => Some(e),
        }
    }

    /// `validateVal`: a child value.
    fn validate_val(&self, node: usize, v: &'a J, tok: String) -> Option<VErr> {
        let mut s = self.sub(node, v, Some(tok), None);
        s.uneval = Uneval::from(v, &self.c.nodes[node], false);
        s.validate().err()
    }

    fn validate_ref(&mut self, node: usize, kw: &'static str) -> Option<VErr> {
        let e = self.validate_self(node, Some(kw))?;
        let mut r = self.err(Kind::Reference);
        if matches!(e.kind, Kind::Group) {
            r.causes = e.causes;
        } else {
            r.causes.push(e);
        }
        Some(r)
    }

    fn validate_refs(&mut self) {
        let n = self.n();
        if let Some(mut target) = n.recursive_ref {
            if self.c.nodes[target].recursive_anchor {
                let mut p = Some(self.scope.clone());
                while let Some(s) = p {
                    let res = self.c.nodes[s.node].resource;
                    if let Some(root) = self.c.resources.get(res).and_then(|r| r.root)
                        && self.c.nodes[root].recursive_anchor
                    {
                        target = root;
                    }
                    p = s.parent.clone();
                }
            }
            if let Some(e) = self.validate_ref(target, "$recursiveRef") {
                self.errors.push(e);
            }
        }
        if let Some((mut target, anchor)) = n.dynamic_ref.clone() {
            if !anchor.is_empty()
                && self.c.nodes[target].dynamic_anchor.as_deref() == Some(anchor.as_str())
            {
                let mut p = Some(self.scope.clone());
                while let Some(s) = p {
                    let res = self.c.nodes[s.node].resource;
                    if let Some(x) = self
                        .c
                        .resources
                        .get(res)
                        .and_then(|r| r.dynamic_anchors.get(&anchor))
                    {
                        target = *x;
                    }
                    p = s.parent.clone();
                }
            }
            if let Some(e) = self.validate_ref(target, "$dynamicRef") {
                self.errors.push(e);
            }
        }
    }

    fn find_missing(obj: &std::collections::BTreeMap<String, J>, req: &[String]) -> Vec<String> {
        req.iter()
            .filter(|p| !obj.contains_key(*p))
            .cloned()
            .collect()
    }

    fn obj_validate(&mut self, obj: &'a std::collections::BTreeMap<String, J>) {
        let n = self.n();
        if let Some(min) = n.min_properties
            && obj.len() < min
        {
            self.add(Kind::MinProperties(obj.len(), min));
        }
        if let Some(max) = n.max_properties
            && obj.len() > max
        {
            self.add(Kind::MaxProperties(obj.len(), max));
        }
        if !n.required.is_empty() {
            let missing = Self::find_missing(obj, &n.required);
            if !missing.is_empty() {
                self.add(Kind::Required(missing));
            }
        }
        for (p, dep) in &n.dependencies {
            if obj.contains_key(p) {
                match dep {
                    Dep::Props(req) => {
                        let missing = Self::find_missing(obj, req);
                        if !missing.is_empty() {
                            self.add(Kind::Dependency(p.clone(), missing));
                        }
                    }
                    Dep::Schema(s) => {
                        if let Some(e) = self.validate_self(*s, None) {
                            self.errors.push(e);
                        }
                    }
                }
            }
        }
        let mut additional = Vec::new();
        for (pname, pvalue) in obj.iter() {
            let mut evaluated = false;
            if let Some((_, s)) = n.properties.iter().find(|(k, _)| k == pname) {
                evaluated = true;
                if let Some(e) = self.validate_val(*s, pvalue, pname.clone()) {
                    self.errors.push(e);
                }
            }
            for (re, s) in &n.pattern_properties {
                if re.is_match(pname) {
                    evaluated = true;
                    if let Some(e) = self.validate_val(*s, pvalue, pname.clone()) {
                        self.errors.push(e);
                    }
                }
            }
            if !evaluated && let Some(a) = &n.additional_properties {
                evaluated = true;
                match a {
                    Additional::Bool(false) => additional.push(pname.clone()),
                    Additional::Bool(true) => {}
                    Additional::Schema(s) => {
                        if let Some(e) = self.validate_val(*s, pvalue, pname.clone()) {
                            self.errors.push(e);
                        }
                    }
                }
            }
            if evaluated {
                self.uneval.props.remove(pname);
            }
        }
        if !additional.is_empty() {
            self.add(Kind::AdditionalProperties(additional));
        }
        if n.draft == 4 {
            return;
        }
        if let Some(pn) = n.property_names {
            for pname in obj.keys() {
                let name = J::Str(std::sync::Arc::from(pname.as_str()));
                if let Some(causes) = validate_at(self.c, pn, &name) {
                    self.add_errs(causes, Kind::PropertyNames(pname.clone()));
                }
            }
        }
        if n.draft == 6 {
            return;
        }
        for (p, s) in &n.dependent_schemas {
            if obj.contains_key(p)
                && let Some(e) = self.validate_self(*s, None)
            {
                self.errors.push(e);
            }
        }
        for (p, req) in &n.dependent_required {
            if obj.contains_key(p) {
                let missing = Self::find_missing(obj, req);
                if !missing.is_empty() {
                    self.add(Kind::Dependency(p.clone(), missing));
                }
            }
        }
    }

    fn arr_validate(&mut self, arr: &'a [J]) {
        let n = self.n();
        if let Some(min) = n.min_items
            && arr.len() < min
        {
            self.add(Kind::MinItems(arr.len(), min));
        }
        if let Some(max) = n.max_items
            && arr.len() > max
        {
            self.add(Kind::MaxItems(arr.len(), max));
        }
        if n.unique_items && arr.len() > 1 {
            'outer: for i in 1..arr.len() {
                for j in 0..i {
                    if equals(&arr[i], &arr[j]) {
                        self.add(Kind::UniqueItems(j, i));
                        break 'outer;
                    }
                }
            }
        }
        if n.draft < 2020 {
            let mut evaluated = 0;
            match &n.items {
                Some(Items::One(s)) => {
                    for (i, item) in arr.iter().enumerate() {
                        if let Some(e) = self.validate_val(*s, item, i.to_string()) {
                            self.errors.push(e);
                        }
                    }
                    evaluated = arr.len();
                }
                Some(Items::Many(list)) => {
                    let m = arr.len().min(list.len());
                    for i in 0..m {
                        if let Some(e) = self.validate_val(list[i], &arr[i], i.to_string()) {
                            self.errors.push(e);
                        }
                    }
                    evaluated = m;
                }
                None => {}
            }
            match &n.additional_items {
                Some(Additional::Bool(false)) if evaluated != arr.len() => {
                    self.add(Kind::AdditionalItems(arr.len() - evaluated));
                }
                Some(Additional::Schema(s)) => {
                    // The validator Helm uses numbers these items from 0.
                    for (i, item) in arr[evaluated..].iter().enumerate() {
                        if let Some(e) = self.validate_val(*s, item, i.to_string()) {
                            self.errors.push(e);
                        }
                    }
                }
                _ => {}
            }
        } else {
            let evaluated = n.prefix_items.len().min(arr.len());
            for (i, (s, item)) in n.prefix_items.iter().zip(arr).enumerate() {
                if let Some(e) = self.validate_val(*s, item, i.to_string()) {
                    self.errors.push(e);
                }
            }
            if let Some(s) = n.items2020 {
                // As above: numbered from 0 after the prefix items.
                for (i, item) in arr[evaluated..].iter().enumerate() {
                    if let Some(e) = self.validate_val(s, item, i.to_string()) {
                        self.errors.push(e);
                    }
                }
            }
        }
        if let Some(cs) = n.contains {
            let mut errs = Vec::new();
            let mut matched = Vec::new();
            for (i, item) in arr.iter().enumerate() {
                match self.validate_val(cs, item, i.to_string()) {
                    Some(e) => errs.push(e),
                    None => {
                        matched.push(i);
                        if n.draft >= 2020 {
                            self.uneval.items.remove(&i);
                        }
                    }
                }
            }
            if let Some(min) = n.min_contains {
                if matched.len() < min {
                    self.add_errs(errs, Kind::MinContains(matched.clone(), min));
                }
            } else if matched.is_empty() {
                self.add_errs(errs, Kind::Contains);
            }
            if let Some(max) = n.max_contains
                && matched.len() > max
            {
                self.add(Kind::MaxContains(matched, max));
            }
        }
    }

    fn str_validate(&mut self, s: &str) {
        let n = self.n();
        let len = s.chars().count();
        if let Some(min) = n.min_length
            && len < min
        {
            self.add(Kind::MinLength(len, min));
        }
        if let Some(max) = n.max_length
            && len > max
        {
            self.add(Kind::MaxLength(len, max));
        }
        if let Some((re, text)) = &n.pattern
            && !re.is_match(s)
        {
            self.add(Kind::Pattern(s.to_string(), text.clone()));
        }
    }

    fn num_validate(&mut self, x: &super::json::Num) {
        use std::cmp::Ordering::*;
        let n = self.n();
        if let Some(m) = &n.minimum
            && x.compare(m) == Less
        {
            self.add(Kind::Minimum(x.f, m.f));
        }
        if let Some(m) = &n.maximum
            && x.compare(m) == Greater
        {
            self.add(Kind::Maximum(x.f, m.f));
        }
        if let Some(m) = &n.exclusive_minimum
            && x.compare(m) != Greater
        {
            self.add(Kind::ExclusiveMinimum(x.f, m.f));
        }
        if let Some(m) = &n.exclusive_maximum
            && x.compare(m) != Less
        {
            self.add(Kind::ExclusiveMaximum(x.f, m.f));
        }
        if let Some(m) = &n.multiple_of {
            let ok = match (&x.dec, &m.dec) {
                (Some(a), Some(b)) => a
                    .divisible_by(b)
                    .unwrap_or_else(|| (x.f / m.f).fract() == 0.0),
                _ => (x.f / m.f).fract() == 0.0,
            };
            if !ok {
                self.add(Kind::MultipleOf(x.f, m.f));
            }
        }
    }

    fn cond_validate(&mut self) {
        let n = self.n();
        if let Some(s) = n.not
            && self.validate_self(s, None).is_none()
        {
            self.add(Kind::Not);
        }
        if !n.all_of.is_empty() {
            let mut errs = Vec::new();
            for s in &n.all_of {
                if let Some(e) = self.validate_self(*s, None) {
                    errs.push(e);
                }
            }
            if !errs.is_empty() {
                self.add_errs(errs, Kind::AllOf);
            }
        }
        if !n.any_of.is_empty() {
            let mut matched = false;
            let mut errs = Vec::new();
            for s in &n.any_of {
                match self.validate_self(*s, None) {
                    Some(e) => errs.push(e),
                    None => {
                        matched = true;
                        if self.uneval.is_empty() {
                            break;
                        }
                    }
                }
            }
            if !matched {
                self.add_errs(errs, Kind::AnyOf);
            }
        }
        if !n.one_of.is_empty() {
            let mut matched: Option<usize> = None;
            let mut errs = Vec::new();
            for (i, s) in n.one_of.iter().enumerate() {
                match self.validate_self(*s, None) {
                    Some(e) => {
                        if matched.is_none() {
                            errs.push(e);
                        }
                    }
                    None => match matched {
                        None => matched = Some(i),
                        Some(first) => {
                            self.add(Kind::OneOf(Some((first, i))));
                            break;
                        }
                    },
                }
            }
            if matched.is_none() {
                self.add_errs(errs, Kind::OneOf(None));
            }
        }
        if let Some(i) = n.if_ {
            if self.validate_self(i, None).is_none() {
                if let Some(t) = n.then_
                    && let Some(e) = self.validate_self(t, None)
                {
                    self.errors.push(e);
                }
            } else if let Some(e) = n.else_
                && let Some(err) = self.validate_self(e, None)
            {
                self.errors.push(err);
            }
        }
    }

    fn uneval_validate(&mut self) {
        let n = self.n();
        if let (J::Obj(obj), Some(s)) = (self.v, n.unevaluated_properties) {
            let props: Vec<String> = std::mem::take(&mut self.uneval.props).into_iter().collect();
            for p in props {
                if let Some(pv) = obj.get(&p)
                    && let Some(e) = self.validate_val(s, pv, p.clone())
                {
                    self.errors.push(e);
                }
            }
        }
        if let (J::Arr(arr), Some(s)) = (self.v, n.unevaluated_items) {
            let items: Vec<usize> = std::mem::take(&mut self.uneval.items).into_iter().collect();
            for i in items {
                if let Some(item) = arr.get(i)
                    && let Some(e) = self.validate_val(s, item, i.to_string())
                {
                    self.errors.push(e);
                }
            }
        }
    }
}
