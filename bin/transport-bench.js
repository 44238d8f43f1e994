#!/usr/bin/env node
import process from 'node:process'
import { main } from '../dist/src/cli/main.js'

process.exit(await main(process.argv))
