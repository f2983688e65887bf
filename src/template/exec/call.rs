//! Calling a function, as Go's `evalFunction` and `evalCall` do: the
//! argument count checked against the signature, each argument evaluated
//! to its parameter's type, and `and`/`or` evaluated lazily.

// Through the executor's own imports, so the two files name one set.
use super::{
    Arg, At, ErrKind, ExecError, Func, FuncErr, Imp, Rv, Sig, State, Ty, Value, XResult, gofmt,
};

impl<'e> State<'e> {
    pub(super) fn eval_function(
        &mut self,
        dot: &Rv,
        ident: &'e Arg,
        node: At<'e>,
        name: &str,
        args: &'e [Arg],
        final_: Option<&Rv>,
    ) -> XResult<Rv> {
        self.at = At::Arg(ident);
        let Some(func) = self.env.funcs.get(name).copied() else {
            return Err(self.errorf(format!(
                "{} is not a defined function",
                gofmt::go_quote(name)
            )));
        };
        self.eval_call(dot, func, node, name, args, final_)
    }

    /// Go's `evalCall` count check: the arguments after the function's
    /// name, and how many the call passes (a piped value included).
    fn check_arity(
        &self,
        sig: &Sig,
        name: &str,
        args: &'e [Arg],
        final_: Option<&Rv>,
    ) -> XResult<(&'e [Arg], usize)> {
        let args = if args.is_empty() { args } else { &args[1..] };
        let num_in = args.len() + usize::from(final_.is_some());
        if sig.variadic.is_some() {
            if num_in < sig.params.len() {
                return Err(self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    sig.params.len(),
                    args.len()
                )));
            }
        } else if num_in != sig.num_in() {
            return Err(self.errorf(format!(
                "wrong number of args for {name}: want {} got {}",
                sig.num_in(),
                num_in
            )));
        }
        Ok((args, num_in))
    }

    /// Evaluate arguments against `sig` (Go's `evalCall` checks).
    pub(super) fn eval_args(
        &mut self,
        dot: &Rv,
        sig: &Sig,
        name: &str,
        args: &'e [Arg],
        final_: Option<&Rv>,
    ) -> XResult<Vec<Rv>> {
        let (args, num_in) = self.check_arity(sig, name, args, final_)?;
        let num_fixed = if sig.variadic.is_some() {
            sig.params.len()
        } else {
            args.len()
        };
        let mut argv = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, Some(sig.params[i]), &args[i])?);
            i += 1;
        }
        if let Some(vt) = sig.variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, Some(vt), &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = final_ {
            let t = match sig.variadic {
                Some(vt) if num_in > num_fixed => vt,
                _ => sig.params.get(num_in - 1).copied().unwrap_or(Ty::Any),
            };
            argv.push(self.validate_type(f.clone(), Some(t))?);
        }
        Ok(argv)
    }

    fn eval_call(
        &mut self,
        dot: &Rv,
        func: Func,
        node: At<'e>,
        name: &str,
        args: &'e [Arg],
        final_: Option<&Rv>,
    ) -> XResult<Rv> {
        if name == "and" || name == "or" {
            let (rest, _) = self.check_arity(func.sig, name, args, final_)?;
            return self.eval_and_or(dot, name == "or", rest, final_);
        }
        let argv = self.eval_args(dot, func.sig, name, args, final_)?;
        if name == "call" {
            // Go passes the callee's source text for its error messages.
            self.call_callee = args.get(1).map(|a| a.to_string()).unwrap_or_default();
        }
        let r = match func.imp {
            Imp::Reflect(f) => f(self, &argv),
            Imp::Plain(f) => {
                let vals: Vec<Value> = argv.iter().map(Rv::value).collect();
                f(self, &vals).map(Rv::from_result)
            }
        };
        r.map_err(|e| self.call_error(node, name, e))
    }

    /// Go's `error calling NAME: ERR`, positioned at the calling node.
    pub(super) fn call_error(&mut self, node: At<'e>, name: &str, err: FuncErr) -> ExecError {
        self.at = node;
        self.err(ErrKind::Call {
            func: name.to_string(),
            err,
        })
    }

    /// `and` and `or`: the arguments evaluated in turn until one decides.
    fn eval_and_or(
        &mut self,
        dot: &Rv,
        is_or: bool,
        rest: &'e [Arg],
        final_: Option<&Rv>,
    ) -> XResult<Rv> {
        let mut v = Rv::Invalid;
        for a in rest {
            v = self.eval_arg(dot, Some(Ty::Reflect), a)?;
            if v.truth() == is_or {
                return Ok(v);
            }
        }
        if let Some(f) = final_ {
            v = self.validate_type(f.clone(), Some(Ty::Reflect))?;
        }
        Ok(v)
    }
}
